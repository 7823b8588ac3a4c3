{{ config(order_by='(org_id, scope_type, scope_id, window_end_week)') }}
-- noqa: disable=RF03
-- (sqlfluff reads ARRAY JOIN aliases and lambda parameters as unqualified columns)

with

daily_facts as (

    select * from {{ ref('int_dora_daily_facts') }}

),

dora_band_thresholds as (

    select * from {{ ref('dora_band_thresholds') }}

),

thresholds as (

    {{ dora_thresholds('dora_band_thresholds') }}

),

-- each organization's own latest week: another org's later data must not open windows for this one
last_week as (

    select
        org_id,
        toMonday(max(day)) as last_data_week
    from daily_facts
    group by org_id

),

-- each day belongs to the window of its own ISO week and of the three weeks after it
days_in_windows as (

    select
        daily_facts.*,
        toMonday(daily_facts.day) + 7 * week_offset as window_end_week
    from daily_facts
    array join range(4) as week_offset

),

windows as (

    select
        days_in_windows.org_id as org_id,
        days_in_windows.scope_type as scope_type,
        days_in_windows.scope_id as scope_id,
        any(days_in_windows.scope_name) as any_scope_name,
        days_in_windows.window_end_week as window_end_week,
        sum(days_in_windows.deployments_count) as window_deployments,
        sum(days_in_windows.failed_deployments_count) as window_failed_deployments,
        sum(days_in_windows.rework_deployments_count) as window_rework_deployments,
        groupArrayIf(days_in_windows.day, days_in_windows.deployments_count > 0) as window_deployment_days,
        arrayReduce('quantileExactInclusiveOrNull(0.5)', arrayFlatten(groupArray(days_in_windows.lead_times_hours)))
            as window_lead_time_median_hours,
        arrayReduce(
            'quantileExactInclusiveOrNull(0.5)', arrayFlatten(groupArray(days_in_windows.restore_times_hours))
        ) as window_time_to_restore_median_hours
    from days_in_windows
    inner join last_week on days_in_windows.org_id = last_week.org_id
    where days_in_windows.window_end_week <= last_week.last_data_week
    group by
        days_in_windows.org_id,
        days_in_windows.scope_type,
        days_in_windows.scope_id,
        days_in_windows.window_end_week

),

frequency as (

    select
        windows.*,
        arrayMap(
            week_offset -> arrayCount(
                deployed_day -> toMonday(deployed_day) = windows.window_end_week - 7 * week_offset,
                windows.window_deployment_days
            ),
            range(4)
        ) as weekly_deployment_days,
        arrayReduce('quantileExactInclusive(0.5)', weekly_deployment_days) as median_weekly_deployment_days,
        length(windows.window_deployment_days) as window_deployment_day_count
    from windows

),

-- the window's DORA key figures, under the names the mart reports them by
key_metrics as (

    select
        frequency.org_id as org_id,
        frequency.scope_type as scope_type,
        frequency.scope_id as scope_id,
        frequency.any_scope_name as scope_name,
        frequency.window_end_week as window_end_week,
        frequency.window_end_week - 21 as window_start_week,
        toUInt64(frequency.window_deployments) as deployments_count,
        toUInt64(frequency.window_deployment_day_count) as deployment_days,
        frequency.median_weekly_deployment_days as median_weekly_deployment_days,
        -- the window is the frequency window: its deployment days are what the bands call monthly
        frequency.window_deployment_day_count as monthly_deployment_days,
        frequency.window_lead_time_median_hours as lead_time_median_hours,
        {{ change_failure_rate('frequency.window_failed_deployments', 'frequency.window_deployments') }}
            as change_failure_rate,
        toUInt64(frequency.window_rework_deployments) as rework_deployments_count,
        {{ rework_rate('frequency.window_rework_deployments', 'frequency.window_deployments') }} as rework_rate,
        frequency.window_time_to_restore_median_hours as time_to_restore_median_hours
    from frequency

),

final as (

    select
        key_metrics.*,
        {{ dora_band_columns('key_metrics', 'thresholds') }}
    from key_metrics
    cross join thresholds

)

select
    org_id,
    scope_type,
    scope_id,
    scope_name,
    window_end_week,
    window_start_week,
    deployments_count,
    deployment_days,
    median_weekly_deployment_days,
    lead_time_median_hours,
    change_failure_rate,
    rework_deployments_count,
    rework_rate,
    time_to_restore_median_hours,
    deployment_frequency_band,
    lead_time_band,
    change_failure_rate_band,
    time_to_restore_band,
    now64(6, 'UTC') as computed_at
from final
-- periods older than raw retention keep the rows they had: their inputs have expired from raw
where {{ within_retention("window_end_week") }}
{{ rows_past_retention("window_end_week") }}
