{{ stage_pr_reviews('gitlab') }}
