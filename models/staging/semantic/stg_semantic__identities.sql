with

source as (

    select * from {{ source('semantic', 'identities') }}

),

deduplicated as (

    select
        org_id,
        provider,
        identity,
        {{ latest_by([
            'person_id',
            'primary_email',
            'display_name'
        ], '_dlt_load_id') }}
    from source
    group by org_id, provider, identity

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(provider), '') as provider,
        lower(coalesce(toString(identity), '')) as identity,
        toString(person_id) as person_id,

        -- people
        lower(toString(primary_email)) as primary_email,
        toString(display_name) as display_name

    from deduplicated

)

select * from renamed
