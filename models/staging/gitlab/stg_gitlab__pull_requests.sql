{{ staging_model('gitlab', 'pull_requests') }}
