{{ stage_work_items('github') }}
