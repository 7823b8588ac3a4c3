{#- The column names of model `model_name` in order: its built table's, else (nothing built yet)
    the columns its YAML documents. A unit test's context has no graph: there the model is looked
    up by name in the layers' fixed databases (generate_schema_name), which a unit test needs built. -#}
{% macro model_columns(model_name) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set node = (graph.get('nodes') or {}).get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if node is none -%}
        {%- set found = run_query(
            "select name from system.columns where database in ('staging', 'intermediate', 'marts')"
            ~ " and table = '" ~ model_name ~ "' order by database, position"
        ) -%}
        {%- if not found.rows -%}
            {{ exceptions.raise_compiler_error('model_columns: no built model named ' ~ model_name) }}
        {%- endif -%}
        {{ return(found.columns[0].values() | list) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- if relation is not none -%}
        {{ return(adapter.get_columns_in_relation(relation) | map(attribute='name') | list) }}
    {%- endif -%}
    {{ return(node.columns.keys() | list) }}
{%- endmacro %}
