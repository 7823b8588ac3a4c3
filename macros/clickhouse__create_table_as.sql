{#- dbt-clickhouse's own macro, in one statement where one does the same: it creates the table empty from the
    model's SQL, then inserts that SQL, so ClickHouse plans the query twice (30-70 ms each on a small warehouse,
    for every table rebuilt and every incremental model built whole). CREATE TABLE ... AS SELECT creates and
    fills it in one. Two statements stay where something must come between or the table is made elsewhere: a
    temporary table, an enforced contract (the columns are declared), projections or indexes (added before the
    rows, so the insert builds them), a SQL header, and on a cluster (each replica would run the select). -#}
{% macro clickhouse__create_table_as(temporary, relation, sql) -%}
    {%- if temporary or config.get('contract').enforced or on_cluster_clause(relation) | trim
        or config.get('projections') or config.get('indexes') or config.get('sql_header') -%}
        {{ dbt.clickhouse__create_table_as(temporary, relation, sql) }}
    {%- else -%}
        create table {{ relation }}
        {{ engine_clause() }}
        {{ order_cols(label="order by") }}
        {{ primary_key_clause(label="primary key") }}
        {{ partition_cols(label="partition by") }}
        {{ ttl_config(label="ttl") }}
        {{ adapter.get_model_settings(model, config.get('engine', default='MergeTree')) }}
        as (
            {{ sql }}
        )
        {{ adapter.get_model_query_settings(model) }}
    {%- endif -%}
{%- endmacro %}
