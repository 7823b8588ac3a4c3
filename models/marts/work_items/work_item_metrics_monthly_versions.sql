{{ config(**append_only_mart('(org_id, month, provider, work_scope_id, team_id)', 'month')) }}

with

{{ work_item_metrics_inputs('month') }},

-- an item's days in progress, as work_item_metrics_daily counts them: from its start day up to the day before
-- its completion day, or up to the org's last day of data while open
item_spans as (

    select
        items.org_id as org_id,
        items.provider as provider,
        items.work_scope_id as work_scope_id,
        items.team_id as team_id,
        items.team_name as team_name,
        items.work_item_id as work_item_id,
        toDate(assumeNotNull(items.started_at), 'UTC') as first_wip_day,
        if(
            items.completed_at is null,
            last_day.data_last_day + 1,
            toDate(assumeNotNull(items.completed_at), 'UTC')
        ) as wip_end_day,
        last_day.data_last_day as data_last_day
    from items
    inner join last_day on items.org_id = last_day.org_id
    where items.started_at is not null

),

-- in progress at the end of a month: at the end of its last day, or of the org's last day of data in the
-- month still running, the day work_item_metrics_daily's wip_count_end_of_day reads; one row per item and such
-- month (a month, not a day, per row: an item open for a year is twelve rows)
item_wip_months as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        team_name,
        work_item_id,
        wip_month as month,
        least(toLastDayOfMonth(wip_month), data_last_day) as month_end_day
    from item_spans
    array join
        arrayMap(
            offset -> addMonths(toStartOfMonth(first_wip_day), offset),
            range(toUInt64(if(
                wip_end_day > first_wip_day,
                dateDiff('month', toStartOfMonth(first_wip_day), toStartOfMonth(wip_end_day - 1)) + 1,
                0
            )))
        ) as wip_month
    where
        least(toLastDayOfMonth(wip_month), data_last_day) >= first_wip_day
        and least(toLastDayOfMonth(wip_month), data_last_day) < wip_end_day

),

-- every item in every month it counts for (started, completed, in progress at its end), hashed with what it
-- counts as: a month is recomputed when its fingerprint changes
cell_inputs as (

    {{ work_item_started_completed_inputs('month') }}
    union all
    select
        org_id,
        month,
        cityHash64(tuple('wip', provider, work_scope_id, team_id, team_name, work_item_id, month_end_day)) as row_hash
    from item_wip_months

),

changed_cells as (

    {{ changed_cells('cell_inputs', period='month') }}

),

{{ work_item_period_figures('month') }}

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'month') }}
