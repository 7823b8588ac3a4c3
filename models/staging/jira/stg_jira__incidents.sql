{{ stage_incidents('jira') }}
