{#- The staging model of the raw contract's deployments (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__deployments is one call of this macro on its own source table. -#}
{% macro stage_deployments(provider) -%}
    {%- set renamed -%}
        toString(sha) as deployed_sha,
        JSONExtract(coalesce(shas, '[]'), 'Array(String)') as shas,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(repo_name) as repo_name,
        toString(environment) as environment,
        toString(status) as status,
        toString(deployer_login) as deployer_login,

        -- timestamps
        toDateTime64(started_at, 6, 'UTC') as started_at,
        toDateTime64(finished_at, 6, 'UTC') as finished_at
    {%- endset -%}
    {{ staging_model(provider, 'deployments', renamed) }}
{%- endmacro %}
