{{ stage_repositories('github') }}
