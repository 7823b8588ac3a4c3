{#- keyed (recompute_keys): a refresh recomputes the commits lead_time_keys_to_recompute names; a row counts on
    the UTC day of its first deployment (deleted_days: int_change_lead_times_daily gathers the days again) -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha)',
    deleted_days="[toDate(first_deployed_at, 'UTC')]",
    pre_hook=[
        "{{ recompute_keys(lead_time_keys_to_recompute(), ['org_id', 'repo_id', 'commit_sha']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

with

deployment_changes as (

    select * from {{ ref('int_deployment_changes') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

changes as (

    select * from {{ ref('int_changes_deduplicated') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

first_deployments as (

    select
        org_id,
        repo_id,
        commit_sha,
        -- one row's provider and id: two deployments finishing at the same instant (GitHub and the events file
        -- reporting one deploy) would otherwise give the provider of one and the id of the other
        min((deployment_finished_at, provider, deployment_id)) as first_deployment,
        tupleElement(first_deployment, 2) as first_deployment_provider,
        tupleElement(first_deployment, 3) as first_deployment_id,
        tupleElement(first_deployment, 1) as first_deployed_at
    from deployment_changes
    group by org_id, repo_id, commit_sha

),

final as (

    select
        first_deployments.org_id as org_id,
        first_deployments.repo_id as repo_id,
        first_deployments.commit_sha as commit_sha,
        first_deployments.first_deployment_provider as first_deployment_provider,
        first_deployments.first_deployment_id as first_deployment_id,
        first_deployments.first_deployed_at as first_deployed_at,
        -- an unmatched join reads '' and 1970-01-01 (join_use_nulls = 0): the creation time is then unknown
        if(changes.commit_sha = '', null, changes.created_at) as change_created_at,
        -- a change made after the deployment that shipped it is a wrong clock, not a lead time: unknown (NULL),
        -- where the medians would read a negative one
        {{ elapsed('change_created_at', 'first_deployments.first_deployed_at', 'hour') }} as lead_time_hours,
        {{ built_at() }}
    from first_deployments
    left join changes using (org_id, repo_id, commit_sha)

)

select * from final
