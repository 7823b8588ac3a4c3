{{ staging_model('jira', 'work_item_transitions') }}
