{{ stage_work_items('gitlab') }}
