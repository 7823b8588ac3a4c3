{#- `dbt run-operation apply_raw_retention [--args '{datasets: [git]}']`: set each raw event
    table's TTL from the vars raw_recompress_after_days, raw_retention_days and
    raw_recompress_codec, or remove it when both are 0. On a cluster the ALTER runs ON CLUSTER,
    unless `raw` is a Replicated database, which replicates its DDL itself.
    With var('raw_ttl_materialize') false the ALTER only records the TTL, and merges (background,
    or OPTIMIZE ... FINAL) apply it: no rewrite of every part of a large table at once. -#}
{% macro apply_raw_retention(datasets=none, database=var('raw_database', 'raw')) -%}
    {%- set engine = run_query("select engine from system.databases where name = '" ~ database ~ "'") -%}
    {%- set cluster = adapter.get_clickhouse_cluster_name() -%}
    {%- set replicated = engine.rows and engine.rows[0][0] == 'Replicated' -%}
    {%- set on_cluster = ' on cluster ' ~ cluster if cluster and not replicated else '' -%}
    {%- set settings = '' if var('raw_ttl_materialize') else ' settings materialize_ttl_after_modify = 0' -%}
    {%- for table, column, has_ttl in raw_event_tables(database, datasets) -%}
        {%- set ttl = raw_ttl_expression(
            column, var('raw_recompress_after_days'), var('raw_retention_days'), var('raw_recompress_codec')) -%}
        {%- if ttl or has_ttl -%}
            {%- set action = 'modify ttl ' ~ ttl if ttl else 'remove ttl' -%}
            {%- set alter = 'alter table ' ~ database ~ '.' ~ table ~ on_cluster ~ ' ' ~ action ~ settings -%}
            {%- do log(alter, info=True) -%}
            {%- do run_query(alter) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
