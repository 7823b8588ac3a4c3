with

source as (

    select * from {{ source('git', 'commit_files') }}

),

deduplicated as (

    select
        org_id,
        repo_id,
        sha,
        path,
        {{ latest_by([
            'old_path',
            'change_type',
            'lines_added',
            'lines_deleted',
            'is_binary'
        ], '_dlt_load_id') }}
    from source
    group by org_id, repo_id, sha, path

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(sha), '') as commit_sha,
        coalesce(toString(path), '') as path,

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
