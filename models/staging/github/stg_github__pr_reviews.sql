{{ staging_model('github', 'pr_reviews') }}
