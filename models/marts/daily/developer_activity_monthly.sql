{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('developer_activity_monthly_versions') }}

),

-- an org's month reads the rows of its latest computation, so a person that computation no longer produced
-- (merged into another) is gone rather than left stale
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
        person_id,
        person_email,
        month,
        active_days,
        repos_count,
        commits_count,
        loc_added,
        loc_deleted,
        files_changed,
        prs_authored,
        prs_merged,
        pr_cycle_p50_hours,
        reviews_given,
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
