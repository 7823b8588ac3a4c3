{#- Runs `alter_action` (e.g. `add column ...`) on the model's existing table; on a cluster, on the local shard
    tables and the Distributed table over them, as dbt-clickhouse's schema changes do. -#}
{% macro alter_model_table(alter_action) -%}
    {%- set is_distributed = target.get('cluster') is not none -%}
    {%- set existing_local = none -%}
    {%- if is_distributed -%}
        {%- set existing_local = this.incorporate(path={
            'identifier': this.identifier ~ adapter.get_clickhouse_local_suffix(),
            'schema': adapter.get_clickhouse_local_db_prefix() ~ this.schema
        }) -%}
    {%- endif -%}
    {%- do clickhouse__run_alter_table_command(alter_action, this, existing_local, is_distributed) -%}
{%- endmacro %}
