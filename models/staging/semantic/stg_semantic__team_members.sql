with

source as (

    select * from {{ source('semantic', 'team_members') }}

),

deduplicated as (

    select distinct
        org_id,
        team_id,
        person_id
    from source

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(team_id), '') as team_id,
        coalesce(toString(person_id), '') as person_id

    from deduplicated

)

select * from renamed
