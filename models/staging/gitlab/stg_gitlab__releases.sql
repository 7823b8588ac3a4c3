{{ stage_releases('gitlab') }}
