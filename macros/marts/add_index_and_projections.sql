{#- dbt-clickhouse's own macro, with ON CLUSTER: its ALTER TABLE ... ADD PROJECTION otherwise reaches only
    the replica dbt is connected to, and the other replicas' tables would lack the projection. -#}
{% macro add_index_and_projections(relation) %}
    {%- set projections = config.get('projections', default=[]) -%}
    {%- set indexes = config.get('indexes', default=[]) -%}
    {%- set additions = [] -%}
    {%- for projection in projections -%}
        {%- do additions.append('add ' ~ clickhouse_projection_ddl(projection)) -%}
    {%- endfor -%}
    {%- for index in indexes -%}
        {%- do additions.append('add index ' ~ index.get('name') ~ ' ' ~ index.get('definition')) -%}
    {%- endfor -%}
    {%- if additions -%}
        {% call statement('add_projections_and_indexes') %}
            alter table {{ relation }} {{ on_cluster_clause(relation) }}
            {{ additions | join(', ') }}
        {% endcall %}
    {%- endif -%}
{% endmacro %}
