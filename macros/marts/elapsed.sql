{#- The time from `start` to `finish` in `unit` ('minute' or 'hour'), microseconds kept; NULL when the finish
    is before the start or either is unknown. -#}
{% macro elapsed(start, finish, unit) -%}
    {%- set microseconds = {'minute': 60000000, 'hour': 3600000000}[unit] -%}
    if({{ finish }} >= {{ start }}, dateDiff('microsecond', {{ start }}, {{ finish }}) / {{ microseconds }}, null)
{%- endmacro %}
