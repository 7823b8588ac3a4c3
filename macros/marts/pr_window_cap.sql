{#- The last window_end_week of pr_cycle_trailing_4_weeks at clock `clock` (a DateTime expression): the Monday of
    the week of the clock plus the tolerance for event times (var future_tolerance_hours). No window ends later. -#}
{% macro pr_window_cap(clock) -%}
    toMonday(toDate({{ clock }} + toIntervalHour({{ var('future_tolerance_hours') }}), 'UTC'))
{%- endmacro %}
