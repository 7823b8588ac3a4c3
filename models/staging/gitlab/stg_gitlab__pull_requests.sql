{{ stage_pull_requests('gitlab') }}
