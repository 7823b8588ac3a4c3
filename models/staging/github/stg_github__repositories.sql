{{ staging_model('github', 'repositories') }}
