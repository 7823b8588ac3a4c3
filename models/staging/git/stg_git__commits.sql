{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha)',
    pre_hook="{{ delete_restaged_keys(source('git', 'commits'), ['org_id', 'repo_id', 'sha'], ['org_id', 'repo_id', 'commit_sha']) }}"
) }}

with

source as (

    select * from {{ source('git', 'commits') }}
    {{ where_key_restaged(source('git', 'commits'), ['org_id', 'repo_id', 'sha']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'sha'], [
        'repo_name',
        'parent_shas',
        'is_merge',
        'author_name',
        'author_email',
        'authored_at',
        'author_tz_offset_minutes',
        'committer_name',
        'committer_email',
        'committed_at',
        'message_subject',
        'message_length',
        'is_removed'
    ]) }}

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
        toString(repo_name) as repo_name,
        coalesce(is_merge, false) as is_merge,
        toString(message_subject) as message_subject,

        -- people
        toString(author_name) as author_name,
        lower(toString(author_email)) as author_email,
        toString(committer_name) as committer_name,
        lower(toString(committer_email)) as committer_email,

        -- numerics
        toInt64(author_tz_offset_minutes) as author_tz_offset_minutes,
        toInt64(message_length) as message_length,

        -- timestamps
        toDateTime64(authored_at, 6, 'UTC') as authored_at,
        toDateTime64(committed_at, 6, 'UTC') as committed_at

    from deduplicated
    -- a force push drops commits from the branch; their latest row is a tombstone
    where not coalesce(is_removed, false)

)

select * from renamed
