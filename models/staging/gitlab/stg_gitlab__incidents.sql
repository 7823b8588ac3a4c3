{{ stage_incidents('gitlab') }}
