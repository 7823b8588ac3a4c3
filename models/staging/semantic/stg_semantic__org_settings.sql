with

source as (

    select * from {{ source('semantic', 'org_settings') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id'], [
        'timezone',
        'business_hours_start',
        'business_hours_end',
        'working_days',
        'bot_patterns'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,

        -- settings: NULL or empty where the organization keeps the project default
        nullIf(toString(timezone), '') as timezone,
        {{ minute_of_day('business_hours_start') }} as business_start_minute,
        {{ minute_of_day('business_hours_end') }} as business_end_minute,
        JSONExtract(coalesce(working_days, '[]'), 'Array(UInt8)') as working_days,
        JSONExtract(coalesce(bot_patterns, '[]'), 'Array(String)') as bot_patterns

    from deduplicated

)

select * from renamed
