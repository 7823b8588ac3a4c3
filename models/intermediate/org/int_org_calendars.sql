-- the organizations that changed a default; the others keep the project's (macros/org_calendar.sql)
with

org_settings as (

    select * from {{ ref('stg_semantic__org_settings') }}

),

final as (

    select
        org_id,
        coalesce(timezone, {{ sql_string_literal(var('business_timezone')) }}) as timezone,
        coalesce(business_start_minute, toUInt16({{ var('business_hours_start') }} * 60)) as business_start_minute,
        coalesce(business_end_minute, toUInt16({{ var('business_hours_end') }} * 60)) as business_end_minute,
        if(empty(working_days), {{ default_working_days() }}, working_days) as working_days,
        bot_patterns
    from org_settings
    where org_id != ''

)

select * from final
