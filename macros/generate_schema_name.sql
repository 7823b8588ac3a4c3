{#- Layers land in fixed databases (staging, intermediate, marts) so dashboards and the
    read-only BI role can rely on one name for the marts, whatever the target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
