{#- The staging model of the raw contract's commits (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__commits is one call of this macro on its own source table. -#}
{% macro stage_commits(provider) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha)',
    pre_hook="{{ delete_restaged_keys(source('" ~ provider ~ "', 'commits'), ['org_id', 'repo_id', 'sha'], ['org_id', 'repo_id', 'commit_sha']) }}"
) }}

with

source as (

    select * from {{ source(provider, 'commits') }}
    {{ where_key_restaged(source(provider, 'commits'), ['org_id', 'repo_id', 'sha']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'sha'], raw_value_columns(provider, 'commits')) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(sha), '') as commit_sha,
        latest_load_id as _dlt_load_id,
        JSONExtract(coalesce(parent_shas, '[]'), 'Array(String)') as parent_shas,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(repo_name) as repo_name,
        coalesce(is_merge, false) as is_merge,
        toString(message_subject) as message_subject,

        -- people
        toString(author_name) as author_name,
        lower(toString(author_email)) as author_email,
        toString(author_login) as author_login,
        toString(committer_name) as committer_name,
        lower(toString(committer_email)) as committer_email,

        -- numerics
        toInt64(author_tz_offset_minutes) as author_tz_offset_minutes,
        toInt64(message_length) as message_length,
        toInt64(lines_added) as lines_added,
        toInt64(lines_deleted) as lines_deleted,

        -- timestamps
        toDateTime64(authored_at, 6, 'UTC') as authored_at,
        toDateTime64(committed_at, 6, 'UTC') as committed_at

    from deduplicated

)

select * from renamed
{%- endmacro %}
