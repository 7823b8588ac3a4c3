{#- Run on every dbt invocation (on-run-start), before any node's thread starts: lists the raw tables into
    dbt's relation cache. Raw is a source schema, which dbt does not cache up front; when two threads each
    found it uncached, one filled the cache while the other already read it as cached from its first table on
    (dbt's cache marks a schema cached as it adds the first relation), so a staging model saw no `_dlt_loads`
    table and restaged no load (loads_to_restage). -#}
{% macro cache_raw_relations(schema='raw') -%}
    {#- looking up one of its tables lists the whole schema into the cache -#}
    {%- set source_node = graph.sources.values() | selectattr('schema', 'equalto', schema) | first
        if execute else none -%}
    {%- if source_node -%}
        {%- do adapter.get_relation(
            database=source_node.database, schema=source_node.schema, identifier=source_node.identifier
        ) -%}
    {%- endif -%}
{%- endmacro %}
