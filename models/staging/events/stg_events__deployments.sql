{{ staging_model('events', 'deployments') }}
