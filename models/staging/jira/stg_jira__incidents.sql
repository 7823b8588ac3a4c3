{{ staging_model('jira', 'incidents') }}
