{#- DORA rework rate: `rework_deployments` ÷ `deployments`, NULL when there are no deployments
    (nothing to measure must not read as 0 or nan). Which deployments are rework: seed rework_link_rules. -#}
{% macro rework_rate(rework_deployments, deployments) -%}
    if({{ deployments }} = 0, null, {{ rework_deployments }} / {{ deployments }})
{%- endmacro %}
