{{ stage_deployments('github') }}
