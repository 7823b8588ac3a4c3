{{ config(order_by='(org_id, team_id, repo_id)') }}

with

team_repos as (

    select * from {{ ref('int_team_repos') }}

),

final as (

    select
        org_id,
        team_id,
        repo_id,
        now64(6, 'UTC') as computed_at
    from team_repos

)

select * from final
