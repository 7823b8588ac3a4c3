{{ config(
    order_by='(org_id, repo_id, day)',
    partition_by='toYYYYMM(day)',
    projections=[latest_computations_projection('day')]
) }}

with

breakdown as (

    select * from {{ ref('pr_cycle_breakdown') }}

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
    where {{ in_lookback('merged_day') }}
    group by org_id, repo_id, merged_day

)

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
    now64(6, 'UTC') as computed_at
from final
