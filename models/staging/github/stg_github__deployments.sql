{{ staging_model('github', 'deployments') }}
