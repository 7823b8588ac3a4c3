{{ staging_model('events', 'changes') }}
