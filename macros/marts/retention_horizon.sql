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

{#- Whether any raw table carries a TTL, that is, whether raw retention has been applied. -#}
{% macro raw_retention_applied() -%}
    {%- set found = run_query(
        "select count() from system.tables where database = " ~ sql_string_literal(var('raw_database', 'raw'))
        ~ " and engine_full like '% TTL %'") -%}
    {{- return(found.rows[0][0] > 0) -}}
{%- endmacro %}

{#- A mart rebuilt whole by each build (DORA, per deployment, per pull request) keeps its rows of periods before
    the retention horizon: the model filters what it computes with `within_retention(period)` and appends
    `rows_past_retention(period)`, its own rows before the horizon, which a rebuild reads from the table it
    replaces. Nothing applies until raw retention is, so such a mart is otherwise a plain rebuild. -#}
{% macro within_retention(period) -%}
    {%- set horizon = retention_horizon() -%}
    {{ period ~ ' >= ' ~ horizon if horizon else 'true' }}
{%- endmacro %}

{% macro rows_past_retention(period) -%}
    {%- set horizon = retention_horizon() -%}
    {%- if horizon %}
    union all
    select * from {{ this }}
    where {{ period }} < {{ horizon }}
    {%- endif -%}
{%- endmacro %}
