{#- The source node a model reads when it reads exactly one (a staging model), else none. -#}
{% macro raw_source(node) -%}
    {%- set sources = [] -%}
    {%- for unique_id in node.depends_on.nodes if unique_id.startswith('source.') -%}
        {%- do sources.append(graph.sources[unique_id]) -%}
    {%- endfor -%}
    {{ return(sources[0] if sources | length == 1 else none) }}
{%- endmacro %}
