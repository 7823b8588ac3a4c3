{{ config(order_by='(org_id, team_id)') }}

with

teams as (

    select * from {{ ref('int_teams_summarised') }}

),

final as (

    select
        org_id,
        team_id,
        team_name,
        repo_patterns,
        work_scopes,
        members_count,
        repos_count,
        now64(6, 'UTC') as computed_at
    from teams

)

select * from final
