{#- The staging model of the raw contract's pr_commits (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__pr_commits is one call of this macro on its own source table. -#}
{% macro stage_pr_commits(provider) -%}
    {%- set renamed -%}
        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(authored_at, 6, 'UTC') as authored_at
    {%- endset -%}
    {{ staging_model(provider, 'pr_commits', renamed, incremental=true, renamed_keys={'sha': 'commit_sha'}) }}
{%- endmacro %}
