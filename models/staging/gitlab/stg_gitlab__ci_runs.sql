{{ staging_model('gitlab', 'ci_runs') }}
