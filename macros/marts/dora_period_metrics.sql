{#- The DORA key figures and bands of every org, scope and period, as CTEs ending in `dora_periods`: the one rule
    the four DORA marts share. `period` is day, week, month or trailing_4_weeks; `daily_facts` and `thresholds`
    name the mart's CTEs over int_dora_daily_facts and dora_thresholds; `latest_facts`, one holding every org's
    latest day when `daily_facts` holds only the days some periods read (dora_mart).

    A period's counts, change failure and rework rates and medians come from the daily facts it covers: the day,
    its ISO week, its month, or the four ISO weeks ending with the period's week (each day then belongs to the
    window of its own week and of the three after it, up to each org's own latest week: another org's later
    data must not open windows for this one). Deployment frequency counts deployment days per week over four
    weeks: the four weeks (28 days) ending with the day, the four ISO weeks ending with the week or window, or
    the ISO weeks starting in the month. deployments_per_day divides the deployments of the window the
    deployment-day counts use (those 28 days or 4 ISO weeks, the month, the window) by its days. -#}
{% macro dora_period_metrics(period, daily_facts='daily_facts', thresholds='thresholds', latest_facts=none) -%}
    {%- if period not in ('day', 'week', 'month', 'trailing_4_weeks') -%}
        {{ exceptions.raise_compiler_error("dora_period_metrics: unknown period " ~ period) }}
    {%- endif -%}
    {#- each fact row joins the periods week_offset 0 to windows - 1 ahead of its own -#}
    {%- set windows = 4 if period == 'trailing_4_weeks' else 1 -%}
    {%- set period_start = {
        'day': 'day',
        'week': 'toMonday(day)',
        'month': 'toStartOfMonth(day)',
        'trailing_4_weeks': 'toMonday(day) + 7 * week_offset',
    }[period] -%}
    {#- the weeks deployment frequency counts deployment days in, and whether a day falls in one -#}
    {%- if period == 'month' -%}
        {%- set weeks = "arrayFilter(week -> toStartOfMonth(week) = periods.period_start, "
            ~ "arrayMap(week_offset -> toMonday(periods.period_start) + 7 * week_offset, range(6)))" -%}
    {%- else -%}
        {%- set weeks = "arrayMap(week_offset -> periods.period_start - 7 * week_offset, range(4))" -%}
    {%- endif -%}
    {%- set in_week = "deployed_day <= week and deployed_day > week - 7" if period == 'day'
        else "toMonday(deployed_day) = week" -%}
    {#- a month or a window counts its own deployment days; a day or a week, those of the four weeks -#}
    {%- set monthly_deployment_days = "toUInt64(periods.period_deployment_days)"
        if period in ('month', 'trailing_4_weeks') else "arraySum(weekly_deployment_days)" -%}
    {#- the deployments and days of that window: a month or a window has its own; a day or a week reaches back
        over the 28 days ending with the day, or the four ISO weeks ending with the week -#}
    {%- set window_days = "toDayOfMonth(toLastDayOfMonth(periods.period_start))" if period == 'month' else "28" -%}
    {%- if period in ('month', 'trailing_4_weeks') -%}
        {%- set window_deployments = "toUInt64(periods.period_deployments)" -%}
    {%- else -%}
        {%- set window_first_day = "periods.period_start - 27" if period == 'day'
            else "periods.period_start - 21" -%}
        {%- set window_last_day = "periods.period_start" if period == 'day' else "periods.period_start + 6" -%}
        {%- set window_deployments = "arraySum(arrayMap(deployed -> if(deployed.1 between " ~ window_first_day
            ~ " and " ~ window_last_day ~ ", deployed.2, 0), deployment_days.scope_deployments))" -%}
    {%- endif -%}
    {%- set within_latest_week = "period_start <= last_weeks.last_data_week"
        if period == 'trailing_4_weeks' else "true" %}
last_weeks as (

    select
        org_id,
        toMonday(max(day)) as last_data_week
    from {{ latest_facts or daily_facts }}
    group by org_id

),

period_facts as (

    select
        {{ daily_facts }}.*,
        {{ period_start }} as period_start
    from {{ daily_facts }}
    array join range({{ windows }}) as week_offset
    inner join last_weeks on {{ daily_facts }}.org_id = last_weeks.org_id
    where {{ within_latest_week }}

),

periods as (

    select
        org_id,
        scope_type,
        scope_id,
        any(scope_name) as any_scope_name,
        period_start,
        sum(deployments_count) as period_deployments,
        sum(failed_deployments_count) as period_failed_deployments,
        sum(rework_deployments_count) as period_rework_deployments,
        countIf(deployments_count > 0) as period_deployment_days,
        arrayReduce('quantileExactInclusiveOrNull(0.5)', arrayFlatten(groupArray(lead_times_hours)))
            as period_lead_time_median_hours,
        arrayReduce('quantileExactInclusiveOrNull(0.5)', arrayFlatten(groupArray(restore_times_hours)))
            as period_time_to_restore_median_hours
    from period_facts
    group by org_id, scope_type, scope_id, period_start

),

deployment_days as (

    select
        org_id,
        scope_type,
        scope_id,
        groupArrayIf(day, deployments_count > 0) as scope_deployment_days,
        groupArrayIf(tuple(day, deployments_count), deployments_count > 0) as scope_deployments
    from {{ daily_facts }}
    group by org_id, scope_type, scope_id

),

frequency as (

    select
        periods.*,
        arrayMap(
            week -> arrayCount(deployed_day -> {{ in_week }}, deployment_days.scope_deployment_days),
            {{ weeks }}
        ) as weekly_deployment_days,
        arrayReduce('quantileExactInclusive(0.5)', weekly_deployment_days) as median_weekly_deployment_days,
        {{ monthly_deployment_days }} as monthly_deployment_days,
        {{ window_deployments }} / {{ window_days }} as deployments_per_day
    from periods
    inner join deployment_days
        on
            periods.org_id = deployment_days.org_id
            and periods.scope_type = deployment_days.scope_type
            and periods.scope_id = deployment_days.scope_id

),

-- the period's DORA key figures, under the names the marts report them by
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
        frequency.monthly_deployment_days as monthly_deployment_days,
        frequency.deployments_per_day as deployments_per_day
    from frequency

),

dora_periods as (

    select
        key_metrics.*,
        {{ dora_band_columns('key_metrics', thresholds) }}
    from key_metrics
    cross join {{ thresholds }}

)
{%- endmacro %}
