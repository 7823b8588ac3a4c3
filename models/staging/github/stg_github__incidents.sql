{{ stage_incidents('github') }}
