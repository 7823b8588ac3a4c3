{{ stage_deployments('events') }}
