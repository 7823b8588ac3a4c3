{{ stage_commits('git') }}
