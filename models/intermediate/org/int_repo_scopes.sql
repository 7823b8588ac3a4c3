with

repos as (

    select * from {{ ref('int_repos_named') }}

),

team_repos as (

    select * from {{ ref('int_team_repos') }}

),

teams as (

    select * from {{ ref('int_teams_summarised') }}

),

repo_scope as (

    select
        org_id,
        repo_id,
        'repo' as scope_type,
        repo_id as scope_id,
        repo_name as scope_name
    from repos

),

team_scope as (

    select
        team_repos.org_id as org_id,
        team_repos.repo_id as repo_id,
        'team' as scope_type,
        team_repos.team_id as scope_id,
        teams.team_name as scope_name
    from team_repos
    inner join teams using (org_id, team_id)

),

final as (

    select * from repo_scope
    union all
    select * from team_scope

)

select * from final
