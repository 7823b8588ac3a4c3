{{ staging_model('github', 'commits') }}
