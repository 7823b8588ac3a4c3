{{ config(order_by='(org_id, repo_id, provider, deployment_id)') }}

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
        is_rework,
        rework_link_types,
        rework_linked_ids,
        now64(6, 'UTC') as computed_at
    from deployments

)

select * from final
-- periods older than raw retention keep the rows they had: their inputs have expired from raw
where {{ within_retention("toDate(finished_at, 'UTC')") }}
{{ rows_past_retention("toDate(finished_at, 'UTC')") }}
