{#- The UTC period a timestamp falls in, as a Date: its day, or the first day of its month. -#}
{% macro utc_period(expression, period='day') -%}
    {%- if period == 'day' -%}
        toDate({{ expression }}, 'UTC')
    {%- elif period == 'month' -%}
        toStartOfMonth(toDate({{ expression }}, 'UTC'))
    {%- else -%}
        {{ exceptions.raise_compiler_error("utc_period: period " ~ period ~ " is not day or month") }}
    {%- endif -%}
{%- endmacro %}
