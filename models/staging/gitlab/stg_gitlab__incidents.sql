{{ staging_model('gitlab', 'incidents') }}
