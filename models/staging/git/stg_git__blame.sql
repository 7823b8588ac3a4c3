{{ staging_model('git', 'blame') }}
