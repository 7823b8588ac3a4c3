{{ staging_model('gitlab', 'deployments') }}
