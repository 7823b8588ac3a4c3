{{ staging_model('gitlab', 'work_items') }}
