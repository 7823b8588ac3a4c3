{{ staging_model('gitlab', 'work_item_transitions') }}
