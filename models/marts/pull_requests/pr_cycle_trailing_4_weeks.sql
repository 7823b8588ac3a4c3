{{ config(order_by='(org_id, window_end_week)') }}
-- noqa: disable=RF03
-- (sqlfluff reads ARRAY JOIN aliases as unqualified columns)

with

pull_requests as (

    select * from {{ ref('pr_cycle_breakdown') }}

),

-- each merged pull request belongs to the window of its own ISO week and of the three weeks after it; a window
-- never ends after the week of now plus the tolerance for event times (var future_tolerance_hours)
pull_requests_in_windows as (

    select
        pull_requests.*,
        toMonday(pull_requests.merged_day) + 7 * week_offset as window_end_week
    from pull_requests
    array join range(4) as week_offset
    where window_end_week <= toMonday(toDate(now('UTC') + toIntervalHour({{ var('future_tolerance_hours') }})))

),

final as (

    select
        org_id,
        window_end_week,
        window_end_week - 21 as window_start_week,
        toUInt64(count()) as prs_merged,
        {{ exact_quantile(0.5, 'coding_hours') }} as coding_p50_hours,
        {{ exact_quantile(0.5, 'pickup_hours') }} as pickup_p50_hours,
        {{ exact_quantile(0.5, 'review_hours') }} as review_p50_hours,
        {{ exact_quantile(0.5, 'deploy_hours') }} as deploy_p50_hours,
        {{ exact_quantile(0.5, 'cycle_hours') }} as cycle_p50_hours
    from pull_requests_in_windows
    group by org_id, window_end_week

)

select * from final
