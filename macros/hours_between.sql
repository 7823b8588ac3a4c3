{#- Hours from `start` to `finish`, with microseconds kept (Float64). -#}
{% macro hours_between(start, finish) -%}
    dateDiff('microsecond', {{ start }}, {{ finish }}) / 3600000000
{%- endmacro %}
