{{ stage_repositories('gitlab') }}
