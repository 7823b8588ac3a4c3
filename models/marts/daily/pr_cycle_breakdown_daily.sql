{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('pr_cycle_breakdown_daily_versions') }}

),

-- an org's day reads the rows of its latest computation, so a key that computation no longer
-- produced (a person merged into another, an item moved to another team) is gone rather than left stale
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
        day,
        prs_merged,
        large_prs_merged,
        coding_p50_hours,
        pickup_p50_hours,
        review_p50_hours,
        deploy_p50_hours,
        coding_hours_values,
        pickup_hours_values,
        review_hours_values,
        deploy_hours_values,
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
