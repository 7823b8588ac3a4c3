{{ config(**append_only_mart('(org_id, day, provider, work_scope_id, team_id)', 'day')) }}

with

{{ work_item_metrics_inputs('day') }},

-- in progress at the end of a day: started on or before it, completed after it (or not yet); one row per
-- item and such day
item_wip_days as (

    select
        items.org_id as org_id,
        items.provider as provider,
        items.work_scope_id as work_scope_id,
        items.team_id as team_id,
        items.team_name as team_name,
        items.work_item_id as work_item_id,
        wip_day as day
    from items
    inner join last_day on items.org_id = last_day.org_id
    array join
        arrayMap(
            offset -> toDate(assumeNotNull(items.started_at), 'UTC') + offset,
            range(toUInt64(greatest(0, dateDiff(
                'day',
                toDate(assumeNotNull(items.started_at), 'UTC'),
                if(
                    items.completed_at is null,
                    last_day.data_last_day + 1,
                    toDate(assumeNotNull(items.completed_at), 'UTC')
                )
            ))))
        ) as wip_day
    where items.started_at is not null

),

-- every item on every day it counts for (started, completed, in progress), hashed with what it counts as:
-- a day is recomputed when its fingerprint changes, so completing an item recomputes the days it was open
cell_inputs as (

    {{ work_item_started_completed_inputs('day') }}
    union all
    select
        org_id,
        day,
        cityHash64(tuple('wip', provider, work_scope_id, team_id, team_name, work_item_id)) as row_hash
    from item_wip_days

),

changed_cells as (

    {{ changed_cells('cell_inputs') }}

),

{{ work_item_period_figures('day') }}

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
