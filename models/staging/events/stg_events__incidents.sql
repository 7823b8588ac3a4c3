{{ stage_incidents('events') }}
