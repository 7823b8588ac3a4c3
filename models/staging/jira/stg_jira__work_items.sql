{{ stage_work_items('jira') }}
