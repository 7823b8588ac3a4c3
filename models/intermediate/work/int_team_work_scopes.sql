with

teams as (

    select * from {{ ref('stg_semantic__teams') }}

),

final as (

    select distinct
        org_id,
        team_id,
        work_scope_id
    from teams
    array join work_scopes as work_scope_id

)

select * from final
