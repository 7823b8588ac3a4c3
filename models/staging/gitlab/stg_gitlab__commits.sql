{{ staging_model('gitlab', 'commits') }}
