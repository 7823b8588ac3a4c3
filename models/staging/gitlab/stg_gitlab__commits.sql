{{ stage_commits('gitlab') }}
