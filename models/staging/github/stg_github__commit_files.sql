{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha, path)',
    pre_hook="{{ delete_restaged_keys(source('github', 'commit_files'), ['org_id', 'repo_id', 'sha', 'path'], ['org_id', 'repo_id', 'commit_sha', 'path']) }}"
) }}

with

source as (

    select * from {{ source('github', 'commit_files') }}
    {{ where_key_restaged(source('github', 'commit_files'), ['org_id', 'repo_id', 'sha', 'path']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'sha', 'path'], [
        'old_path',
        'change_type',
        'lines_added',
        'lines_deleted',
        'is_binary'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(sha), '') as commit_sha,
        coalesce(toString(path), '') as path,
        latest_load_id as _dlt_load_id,

        -- attributes
        toString(old_path) as old_path,
        toString(change_type) as change_type,
        coalesce(is_binary, false) as is_binary,

        -- numerics
        toInt64(lines_added) as lines_added,
        toInt64(lines_deleted) as lines_deleted

    from deduplicated

)

select * from renamed
