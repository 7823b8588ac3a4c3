{{ staging_model('github', 'work_items') }}
