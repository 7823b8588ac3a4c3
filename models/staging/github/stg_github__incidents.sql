{{ staging_model('github', 'incidents') }}
