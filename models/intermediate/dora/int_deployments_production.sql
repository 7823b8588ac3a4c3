with

github_deployments as (

    select * from {{ ref('stg_github__deployments') }}

),

gitlab_deployments as (

    select * from {{ ref('stg_gitlab__deployments') }}

),

events_deployments as (

    select * from {{ ref('stg_events__deployments') }}

),

deployments as (

    select * from github_deployments
    union all
    select * from gitlab_deployments
    union all
    select * from events_deployments

),

final as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        repo_name,
        environment,
        coalesce(deployed_sha, '') as deployed_sha,
        shas,
        started_at,
        assumeNotNull(finished_at) as finished_at
    from deployments
    where
        {{ is_production_environment('environment') }}
        and lower(status) = 'success'
        and finished_at is not null
        and {{ is_plausible_time('finished_at') }}
        and {{ is_plausible_time('started_at') }}

)

select * from final
