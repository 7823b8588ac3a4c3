{#- `column` of the calendar joined as `calendar`, or the project default where the organization has no row
    (an unmatched join reads '' with join_use_nulls = 0, NULL with 1). -#}
{% macro calendar_value(calendar, column) -%}
    {%- set defaults = {
        'timezone': sql_string_literal(var('business_timezone')),
        'business_start_minute': 'toUInt16(' ~ var('business_hours_start') ~ ' * 60)',
        'business_end_minute': 'toUInt16(' ~ var('business_hours_end') ~ ' * 60)',
        'working_days': default_working_days(),
        'bot_patterns': "cast([], 'Array(String)')"
    } -%}
    if(coalesce({{ calendar }}.org_id, '') = '', {{ defaults[column] }}, {{ calendar }}.{{ column }})
{%- endmacro %}
