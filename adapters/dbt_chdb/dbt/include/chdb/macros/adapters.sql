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

{#- A unit test's temporary table is named after the test. On a server each dbt thread has a session of its
    own; chDB's one session is shared by every dbt thread, and unit tests of different models share names
    (`latest_computation_per_day`), so two running at once would create the same temporary table. The tested
    model's name makes it unique. -#}
{% macro chdb__make_temp_relation(base_relation, suffix) -%}
    {%- set node = model if model is defined else none -%}
    {%- if node is not none and node.resource_type == 'unit_test' and node.tested_node_unique_id -%}
        {%- set suffix = '__' ~ node.tested_node_unique_id.split('.')[-1] ~ suffix -%}
    {%- endif -%}
    {{- return(clickhouse__make_temp_relation(base_relation, suffix)) -}}
{%- endmacro %}
