{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('work_item_metrics_monthly_versions') }}

),

-- an org's month reads the rows of its latest computation, so a key that computation no longer
-- produced (a person merged into another, an item moved to another team) is gone rather than left stale
latest_computations as (

    select
        org_id,
        month,
        max(computed_at) as latest_computed_at
    from versions
    group by org_id, month

),

final as (

    select
        org_id,
        month,
        provider,
        work_scope_id,
        team_id,
        items_started,
        items_completed,
        wip_count_end_of_month,
        cycle_time_p50_hours,
        cycle_time_p90_hours,
        lead_time_p50_hours,
        lead_time_p90_hours,
        bug_completed_ratio,
        story_points_completed,
        computed_at
    from versions
    -- global: on a cluster the latest computations are found once, across shards, and sent to each shard
    where
        not is_empty_cell
        and (org_id, month, computed_at) global in (
            select
                org_id,
                month,
                latest_computed_at
            from latest_computations
        )

)

select * from final
