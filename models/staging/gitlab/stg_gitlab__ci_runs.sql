{{ stage_ci_runs('gitlab') }}
