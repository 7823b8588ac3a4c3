{#- The four DORA band columns (deployment_frequency_band, lead_time_band, change_failure_rate_band,
    time_to_restore_band) of the key figures in relation `key_metrics`, which holds them under the DORA
    marts' names: median_weekly_deployment_days, monthly_deployment_days and deployments_per_day (the median
    of deployment days per week over the frequency window, the window's deployment days, and its deployments
    per day, which the 2025 buckets compare), lead_time_median_hours,
    change_failure_rate and time_to_restore_median_hours.
    `thresholds` is the row dora_thresholds() selects. Every DORA mart bands its figures here, so a
    band means the same whatever the period. -#}
{% macro dora_band_columns(key_metrics, thresholds) -%}
    {{ dora_band(thresholds ~ '.deployment_frequency_thresholds', {
        'median_weekly_deployment_days': key_metrics ~ '.median_weekly_deployment_days',
        'monthly_deployment_days': key_metrics ~ '.monthly_deployment_days',
        'deployments_per_day': key_metrics ~ '.deployments_per_day'
    }) }} as deployment_frequency_band,
    {{ dora_band(thresholds ~ '.lead_time_thresholds', {
        'hours': key_metrics ~ '.lead_time_median_hours'
    }) }} as lead_time_band,
    {{ dora_band(thresholds ~ '.change_failure_rate_thresholds', {
        'ratio': key_metrics ~ '.change_failure_rate'
    }) }} as change_failure_rate_band,
    {{ dora_band(thresholds ~ '.time_to_restore_thresholds', {
        'hours': key_metrics ~ '.time_to_restore_median_hours'
    }) }} as time_to_restore_band
{%- endmacro %}
