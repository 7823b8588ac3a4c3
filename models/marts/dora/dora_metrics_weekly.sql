{{ config(order_by='(org_id, scope_type, scope_id, period_start)') }}

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

periods as (

    select
        org_id,
        scope_type,
        scope_id,
        any(scope_name) as any_scope_name,
        toMonday(day) as period_start,
        sum(deployments_count) as period_deployments,
        sum(failed_deployments_count) as period_failed_deployments,
        sum(rework_deployments_count) as period_rework_deployments,
        countIf(deployments_count > 0) as period_deployment_days,
        arrayReduce('quantileExactInclusiveOrNull(0.5)', arrayFlatten(groupArray(lead_times_hours)))
            as period_lead_time_median_hours,
        arrayReduce('quantileExactInclusiveOrNull(0.5)', arrayFlatten(groupArray(restore_times_hours)))
            as period_time_to_restore_median_hours
    from daily_facts
    group by org_id, scope_type, scope_id, period_start

),

deployment_days as (

    select
        org_id,
        scope_type,
        scope_id,
        groupArrayIf(day, deployments_count > 0) as scope_deployment_days
    from daily_facts
    group by org_id, scope_type, scope_id

),

-- deployment frequency looks at the trailing four ISO weeks ending with this one
frequency as (

    select
        periods.*,
        arrayMap(
            week_offset -> arrayCount(
                deployed_day -> toMonday(deployed_day) = periods.period_start - 7 * week_offset,
                deployment_days.scope_deployment_days
            ),
            range(4)
        ) as weekly_deployment_days,
        arrayReduce('quantileExactInclusive(0.5)', weekly_deployment_days) as median_weekly_deployment_days,
        arraySum(weekly_deployment_days) as monthly_deployment_days
    from periods
    inner join deployment_days
        on
            periods.org_id = deployment_days.org_id
            and periods.scope_type = deployment_days.scope_type
            and periods.scope_id = deployment_days.scope_id

),

-- the period's DORA key figures, under the names the mart reports them by
key_metrics as (

    select
        frequency.org_id as org_id,
        frequency.scope_type as scope_type,
        frequency.scope_id as scope_id,
        frequency.any_scope_name as scope_name,
        frequency.period_start as period_start,
        toUInt64(frequency.period_deployments) as deployments_count,
        toUInt64(frequency.period_deployment_days) as deployment_days,
        frequency.period_lead_time_median_hours as lead_time_median_hours,
        {{ change_failure_rate('frequency.period_failed_deployments', 'frequency.period_deployments') }}
            as change_failure_rate,
        toUInt64(frequency.period_rework_deployments) as rework_deployments_count,
        {{ rework_rate('frequency.period_rework_deployments', 'frequency.period_deployments') }} as rework_rate,
        frequency.period_time_to_restore_median_hours as time_to_restore_median_hours,
        frequency.median_weekly_deployment_days as median_weekly_deployment_days,
        frequency.monthly_deployment_days as monthly_deployment_days
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
    period_start,
    deployments_count,
    deployment_days,
    lead_time_median_hours,
    change_failure_rate,
    rework_deployments_count,
    rework_rate,
    time_to_restore_median_hours,
    median_weekly_deployment_days,
    monthly_deployment_days,
    deployment_frequency_band,
    lead_time_band,
    change_failure_rate_band,
    time_to_restore_band,
    now64(6, 'UTC') as computed_at
from final
-- periods older than raw retention keep the rows they had: their inputs have expired from raw
where {{ within_retention("period_start") }}
{{ rows_past_retention("period_start") }}
