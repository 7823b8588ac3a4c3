{{ staging_model('github', 'releases') }}
