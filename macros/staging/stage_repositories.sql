{#- The staging model of the raw contract's repositories (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__repositories is one call of this macro on its own source table. -#}
{% macro stage_repositories(provider) -%}
    {%- set renamed -%}
        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(repo_name) as repo_name,
        toString(default_branch) as default_branch,

        -- timestamps
        toDateTime64(created_at, 6, 'UTC') as created_at,
        toDateTime64(updated_at, 6, 'UTC') as updated_at
    {%- endset -%}
    {{ staging_model(provider, 'repositories', renamed) }}
{%- endmacro %}
