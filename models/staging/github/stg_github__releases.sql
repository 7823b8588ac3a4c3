with

source as (

    select * from {{ source('github', 'releases') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'release_id'], [
        'provider',
        'tag_name',
        'published_at'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(release_id), '') as release_id,

        -- attributes
        coalesce(toString(provider), 'github') as provider,
        toString(tag_name) as tag_name,

        -- timestamps
        toDateTime64(published_at, 6, 'UTC') as published_at

    from deduplicated

)

select * from renamed
