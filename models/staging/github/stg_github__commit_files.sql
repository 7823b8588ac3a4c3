{{ stage_commit_files('github') }}
