{#- True when the local wall clock `local_ts` (local_wall_clock) is not on one of `working_days` (ISO). -#}
{% macro is_non_working_day(local_ts, working_days) -%}
    (not has({{ working_days }}, toDayOfWeek({{ local_ts }}, 0, 'UTC')))
{%- endmacro %}
