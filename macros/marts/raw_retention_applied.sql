{#- Whether any raw table carries a TTL, that is, whether raw retention has been applied. -#}
{% macro raw_retention_applied() -%}
    {%- set found = run_query(
        "select count() from system.tables where database = " ~ sql_string_literal(var('raw_database', 'raw'))
        ~ " and engine_full like '% TTL %'") -%}
    {{- return(found.rows[0][0] > 0) -}}
{%- endmacro %}
