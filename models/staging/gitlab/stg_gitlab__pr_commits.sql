{{ staging_model('gitlab', 'pr_commits') }}
