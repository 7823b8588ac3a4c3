{{ stage_work_item_transitions('gitlab') }}
