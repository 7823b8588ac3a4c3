{#- The time from `start` to `finish` in `unit` ('minute' or 'hour'), microseconds kept; NULL when the finish
    is before the start or either is unknown. -#}
{% macro elapsed(start, finish, unit) -%}
    {%- set span = {
        'minute': "dateDiff('microsecond', " ~ start ~ ', ' ~ finish ~ ') / 60000000',
        'hour': hours_between(start, finish),
    }[unit] -%}
    if({{ finish }} >= {{ start }}, {{ span }}, null)
{%- endmacro %}
