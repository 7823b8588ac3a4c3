{#- The staging models of one raw entity, one per provider (`stg_<provider>__<entity>`), unioned by column name
    (union_by_name): `union_staged('pull_requests', ['github', 'gitlab'])`. A provider added to the raw contract
    is one more name in the list. -#}
{% macro union_staged(entity, providers) -%}
    {%- set parts = [] -%}
    {%- for provider in providers -%}
        {%- set model_name = 'stg_' ~ provider ~ '__' ~ entity -%}
        {%- do parts.append((ref(model_name), model_name)) -%}
    {%- endfor -%}
    {{ union_by_name(parts) }}
{%- endmacro %}
