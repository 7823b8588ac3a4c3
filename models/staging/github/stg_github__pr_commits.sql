{{ staging_model('github', 'pr_commits') }}
