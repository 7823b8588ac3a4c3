with

source as (

    select * from {{ source('git', 'blame') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'path', 'author_email'], [
        'lines'
    ]) }}

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
