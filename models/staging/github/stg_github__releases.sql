{{ stage_releases('github') }}
