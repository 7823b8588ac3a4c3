{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('team_metrics_monthly_versions') }}

),

-- a month's rows are those of its latest computation
latest_computations as (

    select
        month,
        max(computed_at) as latest_computed_at
    from versions
    group by month

),

final as (

    select
        org_id,
        team_id,
        month,
        commits,
        after_hours_commits,
        weekend_commits,
        after_hours_commit_ratio,
        weekend_commit_ratio,
        computed_at
    from versions
    -- global: on a cluster the latest computations are found once, across shards, and sent to each shard
    where
        (month, computed_at) global in (
            select
                month,
                latest_computed_at
            from latest_computations
        )

)

select * from final
