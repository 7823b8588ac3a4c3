{%- set renamed -%}
        -- ids
        coalesce(toString(org_id), '') as org_id,

        -- settings: NULL or empty where the organization keeps the project default
        nullIf(toString(timezone), '') as timezone,
        {{ minute_of_day('business_hours_start') }} as business_start_minute,
        {{ minute_of_day('business_hours_end') }} as business_end_minute,
        JSONExtract(coalesce(working_days, '[]'), 'Array(UInt8)') as working_days,
        JSONExtract(coalesce(bot_patterns, '[]'), 'Array(String)') as bot_patterns
{%- endset -%}
{{ semantic_staging_model('org_settings', ['org_id'], [
    'timezone',
    'business_hours_start',
    'business_hours_end',
    'working_days',
    'bot_patterns'
], renamed) }}
