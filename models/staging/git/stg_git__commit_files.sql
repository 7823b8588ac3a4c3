{{ stage_commit_files('git') }}
