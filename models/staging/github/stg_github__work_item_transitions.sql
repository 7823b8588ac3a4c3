{{ staging_model('github', 'work_item_transitions') }}
