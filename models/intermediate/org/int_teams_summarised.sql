with

teams as (

    select * from {{ ref('stg_semantic__teams') }}

),

memberships as (

    select * from {{ ref('int_team_memberships') }}

),

team_repos as (

    select * from {{ ref('int_team_repos') }}

),

members_per_team as (

    select
        org_id,
        team_id,
        count() as members_count
    from memberships
    group by org_id, team_id

),

repos_per_team as (

    select
        org_id,
        team_id,
        count() as repos_count
    from team_repos
    group by org_id, team_id

),

final as (

    select
        teams.org_id as org_id,
        teams.team_id as team_id,
        coalesce(teams.team_name, teams.team_id) as team_name,
        teams.repo_patterns as repo_patterns,
        teams.work_scopes as work_scopes,
        toUInt64(members_per_team.members_count) as members_count,
        toUInt64(repos_per_team.repos_count) as repos_count
    from teams
    -- unmatched counts read 0 (join_use_nulls = 0), which is the right count
    left join members_per_team using (org_id, team_id)
    left join repos_per_team using (org_id, team_id)

)

select * from final
