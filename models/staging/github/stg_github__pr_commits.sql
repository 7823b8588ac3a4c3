{{ stage_pr_commits('github') }}
