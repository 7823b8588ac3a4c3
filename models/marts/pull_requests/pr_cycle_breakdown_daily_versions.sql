{{ config(
    order_by='(org_id, repo_id, day)',
    projections=[latest_computations_projection('day')]
) }}

with

breakdown as (

    select * from {{ ref('pr_cycle_breakdown') }}

),

-- each merged pull request's breakdown, hashed: a day is recomputed when one of its pull requests changed
cell_inputs as (

    select
        org_id,
        merged_day as day,
        cityHash64(tuple(
            repo_id, pr_number, is_large, coding_hours, pickup_hours, review_hours, deploy_hours
        )) as row_hash
    from breakdown

),

changed_cells as (

    {{ changed_cells('cell_inputs') }}

),

final as (

    select
        org_id,
        repo_id,
        merged_day as day,
        toUInt64(count()) as prs_merged,
        toUInt64(countIf(is_large)) as large_prs_merged,
        {{ exact_quantile(0.5, 'coding_hours') }} as coding_p50_hours,
        {{ exact_quantile(0.5, 'pickup_hours') }} as pickup_p50_hours,
        {{ exact_quantile(0.5, 'review_hours') }} as review_p50_hours,
        {{ exact_quantile(0.5, 'deploy_hours') }} as deploy_p50_hours,
        -- each stage's known values (groupArray leaves NULLs out), sorted: exact medians over any range of days
        -- are quantileExactInclusiveArray over these, without reading the per pull request mart
        arraySort(groupArray(coding_hours)) as coding_hours_values,
        arraySort(groupArray(pickup_hours)) as pickup_hours_values,
        arraySort(groupArray(review_hours)) as review_hours_values,
        arraySort(groupArray(deploy_hours)) as deploy_hours_values
    from breakdown
    where {{ in_changed_cells('merged_day') }}
    group by org_id, repo_id, merged_day

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
select
    changed_cells.org_id as org_id,
    final.repo_id as repo_id,
    changed_cells.day as day,
    final.prs_merged as prs_merged,
    final.large_prs_merged as large_prs_merged,
    final.coding_p50_hours as coding_p50_hours,
    final.pickup_p50_hours as pickup_p50_hours,
    final.review_p50_hours as review_p50_hours,
    final.deploy_p50_hours as deploy_p50_hours,
    final.coding_hours_values as coding_hours_values,
    final.pickup_hours_values as pickup_hours_values,
    final.review_hours_values as review_hours_values,
    final.deploy_hours_values as deploy_hours_values,
    toUInt64(changed_cells.cell_fingerprint) as cell_fingerprint,
    -- unmatched: '' with join_use_nulls = 0, NULL with 1
    coalesce(final.org_id, '') = '' as is_empty_cell,
    now64(6, 'UTC') as computed_at
from changed_cells
left join final
    on
        changed_cells.org_id = final.org_id
        and changed_cells.day = final.day
