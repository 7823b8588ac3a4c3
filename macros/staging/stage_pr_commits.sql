{#- The staging model of the raw contract's pr_commits (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__pr_commits is one call of this macro on its own source table. -#}
{% macro stage_pr_commits(provider) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, pr_number, commit_sha)',
    pre_hook="{{ delete_restaged_keys(source('" ~ provider ~ "', 'pr_commits'), ['org_id', 'repo_id', 'pr_number', 'sha'], ['org_id', 'repo_id', 'pr_number', 'commit_sha']) }}"
) }}

with

source as (

    select * from {{ source(provider, 'pr_commits') }}
    {{ where_key_restaged(source(provider, 'pr_commits'), ['org_id', 'repo_id', 'pr_number', 'sha']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'pr_number', 'sha'], raw_value_columns(provider, 'pr_commits')) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toInt64(pr_number), 0) as pr_number,
        coalesce(toString(sha), '') as commit_sha,
        latest_load_id as _dlt_load_id,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(authored_at, 6, 'UTC') as authored_at

    from deduplicated

)

select * from renamed
{%- endmacro %}
