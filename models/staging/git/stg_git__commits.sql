{{ staging_model('git', 'commits') }}
