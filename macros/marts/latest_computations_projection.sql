{#- An aggregate projection on an append-only `_versions` mart: each org and period's latest computed_at,
    kept pre-aggregated as rows are appended. The latest-computation view over the mart asks exactly
    this, so ClickHouse answers it from the projection instead of scanning every version. -#}
{% macro latest_computations_projection(period) -%}
    {{ return({
        'name': 'latest_computations',
        'query': 'select org_id, ' ~ period ~ ', max(computed_at) group by org_id, ' ~ period
    }) }}
{%- endmacro %}
