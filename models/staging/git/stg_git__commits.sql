with

source as (

    select * from {{ source('git', 'commits') }}

),

deduplicated as (

    select
        org_id,
        repo_id,
        sha,
        {{ latest_by(
            ['repo_name', 'parent_shas', 'is_merge', 'author_name', 'author_email', 'authored_at',
             'author_tz_offset_minutes', 'committer_name', 'committer_email', 'committed_at',
             'message_subject', 'message_length', 'is_removed'],
            ['org_id', 'repo_id', 'sha'],
            '_dlt_load_id'
        ) }}
    from source
    group by org_id, repo_id, sha

),

renamed as (

    select
        -- ids
        toUUID(org_id) as org_id,
        toUUID(repo_id) as repo_id,
        sha as commit_sha,
        assumeNotNull(repo_name) as repo_name,
        JSONExtract(coalesce(parent_shas, '[]'), 'Array(String)') as parent_shas,

        -- people
        author_name,
        lower(assumeNotNull(author_email)) as author_email,
        committer_name,
        lower(committer_email) as committer_email,

        -- flags and text
        assumeNotNull(is_merge) as is_merge,
        message_subject,
        message_length,

        -- timestamps
        toDateTime64(assumeNotNull(authored_at), 6, 'UTC') as authored_at,
        author_tz_offset_minutes,
        toDateTime64(assumeNotNull(committed_at), 6, 'UTC') as committed_at

    from deduplicated
    -- a force push drops commits from the branch; their latest row is a tombstone
    where not coalesce(is_removed, false)

)

select * from renamed
