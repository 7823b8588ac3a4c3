{#- The first period a mart may still recompute, as SQL, or '' when every period may be (on a first build too).
    Once apply_raw_retention has given the raw tables a TTL, rows older than var('raw_retention_days') expire
    from raw and staging; the cells they fed would read as emptied, so cells before the horizon are kept as
    computed. The margin var('retention_margin_days') keeps clear of rows that feed a cell later than their own
    event time (a pull request ages from its opening but counts on its merge day). -#}
{% macro retention_horizon(period='day') -%}
    {%- set retention_days = var('raw_retention_days') | int -%}
    {#- a unit test's `this` names no table: it builds from its given rows only -#}
    {%- if not execute or retention_days <= 0 or this.schema is not string -%}
        {{- return('') -}}
    {%- endif -%}
    {%- if not raw_retention_applied() or load_relation(this) is none -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set start = "today() - " ~ (retention_days - (var('retention_margin_days') | int)) -%}
    {{- return("toStartOfMonth(" ~ start ~ ")" if period == 'month' else start) -}}
{%- endmacro %}
