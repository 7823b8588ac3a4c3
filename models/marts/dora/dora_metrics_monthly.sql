{#- deployments_per_day and _inputs_hash came after this table's first builds: rows it keeps past raw retention
    read nan and 0 -#}
{{ config(
    order_by='(org_id, scope_type, scope_id, period_start)',
    pre_hook=[
        "{{ add_column_before_rebuild('deployments_per_day', 'Float64 default nan', 'monthly_deployment_days') }}",
        "{{ add_column_before_rebuild('_inputs_hash', 'UInt64 default 0', 'time_to_restore_band') }}",
    ],
) }}

{{ dora_mart('month') }}
