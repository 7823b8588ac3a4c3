{{ config(order_by='(org_id, metric, band_rank)') }}

with

organizations as (

    select * from {{ ref('int_organizations_named') }}

),

dora_band_thresholds as (

    select * from {{ ref('dora_band_thresholds') }}

),

-- the bands of the DORA report the DORA marts band by (var dora_report_year), best first, for every
-- organization: what a legend shows, so no reader needs to know the var
bands as (

    select
        report_year,
        metric,
        band,
        min(band_rank) as band_rank
    from dora_band_thresholds
    where report_year = {{ var('dora_report_year') }}
    group by report_year, metric, band

),

final as (

    select
        organizations.org_id as org_id,
        bands.metric as metric,
        bands.band as band,
        bands.band_rank as band_rank,
        bands.report_year as report_year,
        now64(6, 'UTC') as computed_at
    from organizations
    cross join bands

)

select * from final
