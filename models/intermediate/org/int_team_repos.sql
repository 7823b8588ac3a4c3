with

teams as (

    select * from {{ ref('stg_semantic__teams') }}

),

repos as (

    select * from {{ ref('int_repos_named') }}

),

matched as (

    select
        repos.org_id as org_id,
        teams.team_id as team_id,
        repos.repo_id as repo_id
    from teams
    inner join repos on teams.org_id = repos.org_id
    where arrayExists(pattern -> {{ glob_matches('repos.repo_name', 'pattern') }}, teams.repo_patterns)

),

final as (

    select distinct
        org_id,
        team_id,
        repo_id
    from matched

)

select * from final
