{# chDB dispatches to dbt-clickhouse's implementations; this folder holds only chDB-specific overrides. #}

{#- A temporary table lives as long as its session. On a server that is one dbt connection; chDB's single
    in-process session outlives every dbt run, so the unit test materialization's temporary table must really
    be dropped, or the next `dbt build` in the same process fails with "already exists". dbt-clickhouse drops
    it as `schema.name`, which names no temporary table. -#}
{% macro chdb__drop_relation(relation, obj_type='table') -%}
    {%- if relation.is_temporary -%}
        {% call statement('drop_relation', auto_begin=False) -%}
            drop temporary table if exists {{ adapter.quote(relation.identifier) }}
        {%- endcall %}
    {%- else -%}
        {{ clickhouse__drop_relation(relation, obj_type) }}
    {%- endif -%}
{%- endmacro %}
