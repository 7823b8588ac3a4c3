{{ staging_model('github', 'ci_runs') }}
