{{ config(order_by='(org_id, repo_id, provider, deployment_id)', partition_by='toYYYYMM(finished_at)') }}

with

deployments as (

    select * from {{ ref('int_deployment_outcomes') }}

),

final as (

    select
        org_id,
        repo_id,
        provider,
        deployment_id,
        repo_name,
        finished_at,
        incidents_count,
        is_failed,
        now64(6, 'UTC') as computed_at
    from deployments

)

select
    org_id,
    repo_id,
    provider,
    deployment_id,
    repo_name,
    finished_at,
    incidents_count,
    is_failed,
    computed_at
from final
