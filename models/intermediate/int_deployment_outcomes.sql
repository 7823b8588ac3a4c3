with

deployments as (

    select * from {{ ref('int_deployments_production') }}

),

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

incidents_per_deployment as (

    select
        org_id,
        assumeNotNull(caused_deployment_provider) as provider,
        assumeNotNull(caused_deployment_repo_id) as repo_id,
        assumeNotNull(caused_deployment_id) as deployment_id,
        count() as caused_incidents
    from incidents
    where caused_deployment_id is not null
    group by org_id, provider, repo_id, deployment_id

),

final as (

    select
        deployments.org_id as org_id,
        deployments.provider as provider,
        deployments.repo_id as repo_id,
        deployments.deployment_id as deployment_id,
        deployments.repo_name as repo_name,
        deployments.finished_at as finished_at,
        -- unmatched deployments read 0 incidents (join_use_nulls = 0), which is the right count
        toUInt64(incidents_per_deployment.caused_incidents) as incidents_count,
        incidents_per_deployment.caused_incidents > 0 as is_failed
    from deployments
    left join incidents_per_deployment
        on
            deployments.org_id = incidents_per_deployment.org_id
            and deployments.provider = incidents_per_deployment.provider
            and deployments.repo_id = incidents_per_deployment.repo_id
            and deployments.deployment_id = incidents_per_deployment.deployment_id

)

select * from final
