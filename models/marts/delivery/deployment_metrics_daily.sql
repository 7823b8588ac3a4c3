{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('deployment_metrics_daily_versions') }}

),

-- an org's day reads the rows of its latest computation, so a key that computation no longer
-- produced (a workflow renamed, an environment gone) is gone rather than left stale
latest_computations as (

    select
        org_id,
        day,
        max(computed_at) as latest_computed_at
    from versions
    group by org_id, day

),

final as (

    select
        org_id,
        repo_id,
        environment,
        day,
        deployments_count,
        successful_deployments,
        failed_deployments,
        other_deployments,
        failure_rate,
        duration_p50_minutes,
        deployers_count,
        computed_at
    from versions
    -- global: on a cluster the latest computations are found once, across shards, and sent to each shard
    where
        not is_empty_cell
        and (org_id, day, computed_at) global in (
            select
                org_id,
                day,
                latest_computed_at
            from latest_computations
        )

)

select * from final
