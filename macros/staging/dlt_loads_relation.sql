{#- dlt's record of committed loads beside a raw table `<dataset>___<table>`: `<dataset>____dlt_loads`. -#}
{% macro dlt_loads_relation(source_relation) -%}
    {%- set dataset = source_relation.identifier.split('___')[0] -%}
    {{- return(api.Relation.create(
        database=source_relation.database, schema=source_relation.schema, identifier=dataset ~ '____dlt_loads')) -}}
{%- endmacro %}
