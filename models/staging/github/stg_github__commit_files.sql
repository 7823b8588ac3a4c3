{{ staging_model('github', 'commit_files') }}
