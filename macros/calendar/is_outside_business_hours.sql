{#- True when `local_ts` falls outside business hours [start, end) in minutes of the day, or on a non-working day. -#}
{% macro is_outside_business_hours(local_ts, start_minute, end_minute, working_days) -%}
    (
        {{ is_non_working_day(local_ts, working_days) }}
        or toHour({{ local_ts }}, 'UTC') * 60 + toMinute({{ local_ts }}, 'UTC') < {{ start_minute }}
        or toHour({{ local_ts }}, 'UTC') * 60 + toMinute({{ local_ts }}, 'UTC') >= {{ end_minute }}
    )
{%- endmacro %}
