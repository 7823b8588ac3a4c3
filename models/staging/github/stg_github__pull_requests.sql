{{ stage_pull_requests('github') }}
