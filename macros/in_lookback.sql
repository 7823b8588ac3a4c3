{#- On an incremental run, true for the periods the model recomputes; on a full build, true for all.
    period 'day': days from the model's latest day minus var('lookback_days') on, so rows arriving late by
    up to that many days are picked up. period 'month': every month holding such a day, for rollups whose
    rows are months. `expression` must be a UTC Date (a day, or the first of a month), so whole periods are
    recomputed. -#}
{% macro in_lookback(expression, period='day') -%}
    {%- if not is_incremental() -%}
        true
    {%- elif period == 'day' -%}
        {{ expression }} >= (select max(day) - {{ var('lookback_days') }} from {{ this }})
    {%- elif period == 'month' -%}
        {{ expression }} >= (select toStartOfMonth(max(month) - {{ var('lookback_days') }}) from {{ this }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("in_lookback: period must be 'day' or 'month', not " ~ period) }}
    {%- endif -%}
{%- endmacro %}
