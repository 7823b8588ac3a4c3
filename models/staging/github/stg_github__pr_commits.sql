with

source as (

    select * from {{ source('github', 'pr_commits') }}

),

deduplicated as (

    select
        org_id,
        repo_id,
        pr_number,
        sha,
        {{ latest_by([
            'provider',
            'author_email',
            'authored_at'
        ], '_dlt_load_id') }}
    from source
    group by org_id, repo_id, pr_number, sha

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toInt64(pr_number), 0) as pr_number,
        coalesce(toString(sha), '') as commit_sha,

        -- attributes
        coalesce(toString(provider), 'github') as provider,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(authored_at, 6, 'UTC') as authored_at

    from deduplicated

)

select * from renamed
