{{ staging_model('gitlab', 'releases') }}
