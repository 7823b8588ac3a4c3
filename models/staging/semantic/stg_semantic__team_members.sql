{{ staging_model('semantic', 'team_members') }}
