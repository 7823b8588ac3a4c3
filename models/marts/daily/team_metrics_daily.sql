{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('team_metrics_daily_versions') }}

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
        team_id,
        day,
        commits,
        after_hours_commits,
        weekend_commits,
        after_hours_commit_ratio,
        weekend_commit_ratio,
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
