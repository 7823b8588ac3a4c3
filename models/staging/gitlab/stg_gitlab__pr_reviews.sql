{{ staging_model('gitlab', 'pr_reviews') }}
