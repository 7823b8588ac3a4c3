{{ stage_deployments('gitlab') }}
