{{ staging_model('jira', 'work_items') }}
