{#- Every table the marts folder builds, as `database.table`, with its shard tables (`<mart>_local`)
    on a cluster. Each must carry org_id: a mart without it cannot be split by organization. -#}
{% macro org_mart_tables() -%}
    {%- set tables = [] -%}
    {%- set cluster = adapter.get_clickhouse_cluster_name() -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') -%}
        {%- if node.resource_type == 'model' and node.original_file_path.startswith('models/marts/') -%}
            {%- if 'org_id' not in node.columns -%}
                {{ exceptions.raise_compiler_error("row policies: mart " ~ node.name ~ " has no org_id column") }}
            {%- endif -%}
            {%- do tables.append(node.schema ~ '.' ~ node.alias) -%}
            {%- if cluster and node.config.materialized == 'distributed_table' -%}
                {%- do tables.append(node.schema ~ '.' ~ node.alias ~ '_local') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}
