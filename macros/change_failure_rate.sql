{#- DORA change failure rate: `failed_deployments` ÷ `deployments`, NULL when there are no deployments
    (nothing to measure must not read as 0 or nan). -#}
{% macro change_failure_rate(failed_deployments, deployments) -%}
    if({{ deployments }} = 0, null, {{ failed_deployments }} / {{ deployments }})
{%- endmacro %}
