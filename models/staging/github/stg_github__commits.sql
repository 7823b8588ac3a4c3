{{ stage_commits('github') }}
