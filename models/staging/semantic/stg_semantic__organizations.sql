{{ staging_model('semantic', 'organizations') }}
