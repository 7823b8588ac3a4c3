{{ stage_pr_reviews('github') }}
