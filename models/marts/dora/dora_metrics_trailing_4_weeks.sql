{#- deployments_per_day came after this table's first builds: rows it keeps past raw retention read nan -#}
{{ config(
    order_by='(org_id, scope_type, scope_id, window_end_week)',
    pre_hook="{{ add_column_before_rebuild('deployments_per_day', 'Float64 default nan', 'median_weekly_deployment_days') }}",
) }}

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

{{ dora_period_metrics('trailing_4_weeks') }}

select
    org_id,
    scope_type,
    scope_id,
    scope_name,
    period_start as window_end_week,
    period_start - 21 as window_start_week,
    deployments_count,
    deployment_days,
    median_weekly_deployment_days,
    deployments_per_day,
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
from dora_periods
-- periods older than raw retention keep the rows they had: their inputs have expired from raw
where {{ within_retention("window_end_week") }}
{{ rows_past_retention("window_end_week") }}
