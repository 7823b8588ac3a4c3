{#- One row holding, per DORA metric, the sorted threshold tuples (band_rank, band, measure, min_value,
    max_value) of var('dora_report_year'), named `<metric>_thresholds`, which dora_band() reads. Every
    DORA mart selects this from the seed, so bands follow one rule whatever the period. -#}
{% macro dora_thresholds(seed_relation) -%}
    select
        arraySort(groupArrayIf(
            tuple(band_rank, band, measure, min_value, max_value), metric = 'deployment_frequency'
        )) as deployment_frequency_thresholds,
        arraySort(groupArrayIf(
            tuple(band_rank, band, measure, min_value, max_value), metric = 'lead_time'
        )) as lead_time_thresholds,
        arraySort(groupArrayIf(
            tuple(band_rank, band, measure, min_value, max_value), metric = 'change_failure_rate'
        )) as change_failure_rate_thresholds,
        arraySort(groupArrayIf(
            tuple(band_rank, band, measure, min_value, max_value), metric = 'time_to_restore'
        )) as time_to_restore_thresholds
    from {{ seed_relation }}
    where report_year = {{ var('dora_report_year') }}
{%- endmacro %}
