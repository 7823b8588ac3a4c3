with

team_members as (

    select * from {{ ref('stg_semantic__team_members') }}

),

final as (

    select
        org_id,
        team_id,
        person_id
    from team_members
    where team_id != '' and person_id != ''

)

select * from final
