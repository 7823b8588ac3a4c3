{{ config(materialized='view') }}

with

versions as (

    select * from {{ ref('team_metrics_monthly_versions') }}

),

{{ latest_computation_rows('versions', 'month') }}

-- the versions table's columns but its bookkeeping (macro latest_computation_rows)
-- noqa: disable=AM04
select * from latest_computation_rows
