with

source as (

    select * from {{ source('events', 'changes') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_name', 'sha'], [
        'created_at',
        'author_email'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_name), '') as repo_name,
        coalesce(toString(sha), '') as commit_sha,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(created_at, 6, 'UTC') as created_at

    from deduplicated

)

select * from renamed
