{#- The whole query of a DORA mart over one period (day, week, month or trailing_4_weeks): its inputs, the shared
    figures and bands of dora_period_metrics, and the rows it keeps. A calendar period's mart names its period
    period_start; the trailing four weeks' mart names it window_end_week, with its first week beside it, and
    lists its deployment-frequency columns before the key figures. Periods older than raw retention keep the
    rows they had: their inputs have expired from raw. -#}
{% macro dora_mart(period) -%}
    {%- set period_column = 'window_end_week' if period == 'trailing_4_weeks' else 'period_start' -%}
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

{{ dora_period_metrics(period) }}

select
    org_id,
    scope_type,
    scope_id,
    scope_name,
    {%- if period == 'trailing_4_weeks' %}
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
    {%- else %}
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
    deployments_per_day,
    {%- endif %}
    deployment_frequency_band,
    lead_time_band,
    change_failure_rate_band,
    time_to_restore_band,
    now64(6, 'UTC') as computed_at
from dora_periods
where {{ within_retention(period_column) }}
    {{ rows_past_retention(period_column) }}
{%- endmacro %}
