{#- Run on every dbt invocation (on-run-start): creates each raw table of the contract that no
    source has loaded yet, empty and shaped as dlt would create it, and adds contract columns a
    loaded table lacks (dlt only creates a column once it has seen a non-null value). A warehouse
    with only some providers loaded then still builds every model; absent sources build empty. -#}
{% macro create_missing_raw_tables(database='raw') -%}
    {%- if execute -%}
        {#- on a cluster the raw tables exist on every replica, like the models dbt-clickhouse creates -#}
        {%- set cluster = adapter.get_clickhouse_cluster_name() -%}
        {%- set on_cluster = (' on cluster ' ~ cluster) if cluster else '' -%}
        {%- set engine = 'ReplicatedMergeTree' if cluster else 'MergeTree' -%}
        {%- do run_query('create database if not exists ' ~ database ~ on_cluster) -%}
        {%- set existing = [] -%}
        {%- for row in run_query(
            "select concat(table, '.', name) as table_column from system.columns where database = '" ~ database ~ "'"
        ).rows -%}
            {%- do existing.append(row[0]) -%}
        {%- endfor -%}
        {%- for table, columns in raw_contract_tables().items() -%}
            {%- set keys = [] -%}
            {%- set definitions = [] -%}
            {%- for name, data_type, is_key in columns -%}
                {%- if is_key -%}
                    {%- do keys.append(name) -%}
                    {%- do definitions.append((name, name ~ ' ' ~ data_type)) -%}
                {%- else -%}
                    {%- do definitions.append((name, name ~ ' Nullable(' ~ data_type ~ ')')) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do definitions.append(('_dlt_load_id', '_dlt_load_id String')) -%}
            {%- do definitions.append(('_dlt_id', '_dlt_id String')) -%}
            {%- if (table ~ '._dlt_load_id') not in existing -%}
                {%- do run_query(
                    'create table if not exists ' ~ database ~ '.' ~ table ~ on_cluster
                    ~ ' (' ~ definitions | map(attribute=1) | join(', ') ~ ')'
                    ~ ' engine = ' ~ engine ~ ' primary key (' ~ keys | join(', ') ~ ')'
                ) -%}
            {%- else -%}
                {#- Arrow loads carry no _dlt_id and nothing downstream reads it: only contract columns are added -#}
                {%- for name, definition in definitions
                    if (table ~ '.' ~ name) not in existing and name != '_dlt_id' -%}
                    {%- do run_query(
                        'alter table ' ~ database ~ '.' ~ table ~ on_cluster
                        ~ ' add column if not exists ' ~ definition
                    ) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
