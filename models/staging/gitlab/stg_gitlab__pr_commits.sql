{{ stage_pr_commits('gitlab') }}
