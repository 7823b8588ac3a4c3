{{ stage_ci_runs('github') }}
