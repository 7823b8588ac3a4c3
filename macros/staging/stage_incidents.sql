{#- The staging model of the raw contract's incidents (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__incidents is one call of this macro on its own source table. -#}
{% macro stage_incidents(provider) -%}
    {%- set renamed -%}
        toString(repo_id) as repo_id,
        toString(caused_by_deployment_id) as caused_by_deployment_id,

        -- attributes
        toString(repo_name) as repo_name,
        toString(title) as title,
        toString(severity) as severity,
        toString(caused_by_sha) as caused_by_sha,
        JSONExtract(coalesce(labels, '[]'), 'Array(String)') as labels,

        -- timestamps
        toDateTime64(opened_at, 6, 'UTC') as opened_at,
        toDateTime64(resolved_at, 6, 'UTC') as resolved_at
    {%- endset -%}
    {{ staging_model(provider, 'incidents', renamed) }}
{%- endmacro %}
