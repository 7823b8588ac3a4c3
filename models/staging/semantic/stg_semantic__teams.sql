{{ staging_model('semantic', 'teams') }}
