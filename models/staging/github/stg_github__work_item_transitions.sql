with

source as (

    select * from {{ source('github', 'work_item_transitions') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'provider', 'work_item_id', 'transitioned_at', 'to_status'], [
        'from_status',
        'from_category',
        'to_category',
        'author_email'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(provider), 'github') as provider,
        coalesce(toString(work_item_id), '') as work_item_id,
        coalesce(toString(to_status), '') as to_status,

        -- attributes
        toString(from_status) as from_status,
        lower(toString(from_category)) as from_category,
        lower(toString(to_category)) as to_category,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(transitioned_at, 6, 'UTC') as transitioned_at

    from deduplicated

)

select * from renamed
