{#- `dbt run-operation apply_raw_retention [--args '{datasets: [git]}']`: set each raw event
    table's TTL from the vars raw_recompress_after_days, raw_retention_days and
    raw_recompress_codec, or remove it when both are 0 (ttl_alter: ON CLUSTER on a cluster, and
    var('raw_ttl_materialize')). Then the incremental staging tables copying those raw tables take
    the same TTL now (mirror_raw_ttl), rather than at their next build. -#}
{% macro apply_raw_retention(datasets=none, database=var('raw_database', 'raw')) -%}
    {%- set changed = [] -%}
    {%- for table, column, has_ttl in raw_event_tables(database, datasets) -%}
        {%- do changed.append(table) -%}
        {%- set ttl = raw_ttl_expression(
            column, var('raw_recompress_after_days'), var('raw_retention_days'), var('raw_recompress_codec')) -%}
        {%- if ttl or has_ttl -%}
            {%- set alter = ttl_alter(database, table, ttl) -%}
            {%- do log(alter, info=True) -%}
            {%- do run_query(alter) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- set raw = raw_source(node) -%}
        {%- if raw and raw.schema == database and raw.identifier in changed -%}
            {%- do mirror_raw_ttl(node) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
