{#- Give an incremental model's table the TTL of the raw table it copies, so that rows apply_raw_retention
    expires in raw expire there too: a view or a table rebuilt from raw follows raw already, an incremental
    table keeps its rows. Post-hook of the staging models (so a full refresh gets the TTL back), and run by
    apply_raw_retention. Staging keeps raw's column names and `_dlt_load_id`, so raw's TTL applies as it is.
    The ALTER runs only when the two differ, and removes the table's TTL when raw has none: no retention
    reaches staging before someone applies it to raw. -#}
{% macro mirror_raw_ttl(node=none) -%}
    {%- set node = node or model -%}
    {%- set raw = raw_source(node) if execute and node.config.materialized == 'incremental' else none -%}
    {%- if raw -%}
        {%- set staged_ttl = table_ttl(node.schema, node.alias) -%}
        {%- set raw_ttl = table_ttl(raw.schema, raw.identifier) or '' -%}
        {%- if staged_ttl is not none and staged_ttl != raw_ttl -%}
            {%- set alter = ttl_alter(node.schema, node.alias, raw_ttl) -%}
            {%- do log(alter, info=True) -%}
            {%- do run_query(alter) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
