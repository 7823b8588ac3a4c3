with

source as (

    select * from {{ source('semantic', 'organizations') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id'], [
        'org_name',
        'created_at'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,

        -- attributes
        toString(org_name) as org_name,

        -- timestamps
        created_at

    from deduplicated

)

select * from renamed
