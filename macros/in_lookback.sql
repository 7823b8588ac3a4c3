{#- On an incremental run, true for the periods the model recomputes; on a full build, true for all.
    period 'day': per org, days from the org's latest day in the model minus var('lookback_days') on, so
    rows arriving late by up to that many days are picked up, and an org the model has not seen yet is
    computed whole (its history may well be older than another org's lookback). period 'month': per org,
    every month holding such a day, for rollups whose rows are months. `expression` must be a UTC Date (a
    day, or the first of a month) so whole periods are recomputed; `org_column` names the row's org.
    A Map lookup of an org not in the model reads the default Date, 1970-01-01: everything. -#}
{% macro in_lookback(expression, org_column='org_id', period='day') -%}
    {%- if period == 'day' -%}
        {%- set lookback_start = 'max(day) - ' ~ var('lookback_days') -%}
    {%- elif period == 'month' -%}
        {%- set lookback_start = 'toStartOfMonth(max(month) - ' ~ var('lookback_days') ~ ')' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("in_lookback: period must be 'day' or 'month', not " ~ period) }}
    {%- endif -%}
    {%- if is_incremental() -%}
        {{ expression }} >= arrayElement((
            select mapFromArrays(groupArray(org_id), groupArray(lookback_start))
            from (select org_id, {{ lookback_start }} as lookback_start from {{ this }} group by org_id)
        ), {{ org_column }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
