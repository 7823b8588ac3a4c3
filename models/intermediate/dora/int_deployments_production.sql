{#- a view, as int_deployments_unioned: a filter, and a copy of every deployment's commit list written on each
    build cost more than its readers' reads (only int_deployment_heads reads the lists) -#}
{{ config(materialized='view') }}

with

deployments as (

    select * from {{ ref('int_deployments_unioned') }}

),

-- every provider's deployments are in one shape there (a union by column name), statuses lower-cased
final as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        repo_name,
        environment,
        deployed_sha,
        shas,
        started_at,
        assumeNotNull(finished_at) as finished_at
    from deployments
    where
        {{ is_production_environment('environment') }}
        and status = 'success'
        and finished_at is not null

)

select * from final
