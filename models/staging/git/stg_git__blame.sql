with

source as (

    select * from {{ source('git', 'blame') }}

),

deduplicated as (

    select
        org_id,
        repo_id,
        path,
        author_email,
        {{ latest_by([
            'lines'
        ], '_dlt_load_id') }}
    from source
    group by org_id, repo_id, path, author_email

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(path), '') as path,

        -- people
        lower(coalesce(toString(author_email), '')) as author_email,

        -- numerics
        toInt64(lines) as lines

    from deduplicated

)

select * from renamed
