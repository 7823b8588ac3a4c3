with

source as (

    select * from {{ source('github', 'repositories') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id'], [
        'provider',
        'repo_name',
        'default_branch',
        'created_at',
        'updated_at'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,

        -- attributes
        coalesce(toString(provider), 'github') as provider,
        toString(repo_name) as repo_name,
        toString(default_branch) as default_branch,

        -- timestamps
        toDateTime64(created_at, 6, 'UTC') as created_at,
        toDateTime64(updated_at, 6, 'UTC') as updated_at

    from deduplicated

)

select * from renamed
