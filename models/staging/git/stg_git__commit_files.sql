{{ staging_model('git', 'commit_files') }}
