{{ staging_model('semantic', 'identities') }}
