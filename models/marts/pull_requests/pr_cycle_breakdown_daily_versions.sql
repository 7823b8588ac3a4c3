{{ config(**append_only_mart('(org_id, repo_id, day)', 'day')) }}

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
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
