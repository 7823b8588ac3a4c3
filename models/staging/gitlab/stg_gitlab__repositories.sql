{{ staging_model('gitlab', 'repositories') }}
