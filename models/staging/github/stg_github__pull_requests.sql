{{ staging_model('github', 'pull_requests') }}
