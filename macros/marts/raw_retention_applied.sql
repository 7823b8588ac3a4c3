{#- Whether any raw table carries a TTL, that is, whether raw retention has been applied. The answer is kept in the
    `model` dict of the rendering that asked, as recomputes_everything keeps its own: a DORA mart asks three
    times, each a scan of system.tables. -#}
{% macro raw_retention_applied() -%}
    {%- if model is defined and '_raw_retention_applied' in model -%}
        {{- return(model['_raw_retention_applied']) -}}
    {%- endif -%}
    {%- set found = run_query(
        "select count() from system.tables where database = " ~ sql_string_literal(var('raw_database', 'raw'))
        ~ " and engine_full like '% TTL %'") -%}
    {%- set applied = found.rows[0][0] > 0 -%}
    {%- if model is defined -%}
        {%- do model.update({'_raw_retention_applied': applied}) -%}
    {%- endif -%}
    {{- return(applied) -}}
{%- endmacro %}
