{{ staging_model('events', 'incidents') }}
