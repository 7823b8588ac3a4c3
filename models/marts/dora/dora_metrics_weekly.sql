{#- deployments_per_day came after this table's first builds: rows it keeps past raw retention read nan -#}
{{ config(
    order_by='(org_id, scope_type, scope_id, period_start)',
    pre_hook="{{ add_column_before_rebuild('deployments_per_day', 'Float64 default nan', 'monthly_deployment_days') }}",
) }}

{{ dora_mart('week') }}
