{#- a view: a union and a filter over staging, cheap to compute where it is read; as a table every build wrote
    the commits each deployment lists again (1M commits: 1.09M shas, 0.45 s), and its readers but one skip them -#}
{{ config(materialized='view') }}

with

deployments as (

    {{ union_staged('deployments', ['github', 'gitlab', 'events']) }}

),

final as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        repo_name,
        coalesce(environment, '') as environment,
        lower(coalesce(status, '')) as status,
        coalesce(deployer_login, '') as deployer_login,
        coalesce(deployed_sha, '') as deployed_sha,
        shas,
        started_at,
        finished_at
    from deployments
    where
        coalesce(started_at, finished_at) is not null
        and {{ is_plausible_time('started_at') }}
        and {{ is_plausible_time('finished_at') }}

)

select * from final
