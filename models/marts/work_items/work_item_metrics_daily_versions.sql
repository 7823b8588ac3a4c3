{{ config(
    order_by='(org_id, day, provider, work_scope_id, team_id)',
    projections=[latest_computations_projection('day')]
) }}

with

work_items as (

    select * from {{ ref('int_work_items_lifecycle') }}

),

team_work_scopes as (

    select * from {{ ref('int_team_work_scopes') }}

),

teams as (

    select * from {{ ref('int_teams_summarised') }}

),

-- an item counts for every team owning its work scope, and under team '' when no team owns it
-- (an unmatched join reads '', join_use_nulls = 0); the team's name is hashed with each item, so renaming a
-- team recomputes the days that show it
items as (

    select
        work_items.org_id as org_id,
        work_items.provider as provider,
        work_items.work_scope_id as work_scope_id,
        team_work_scopes.team_id as team_id,
        teams.team_name as team_name,
        work_items.work_item_id as work_item_id,
        work_items.is_bug as is_bug,
        work_items.story_points as story_points,
        work_items.created_at as created_at,
        work_items.started_at as started_at,
        work_items.completed_at as completed_at
    from work_items
    left join team_work_scopes
        on
            work_items.org_id = team_work_scopes.org_id
            and work_items.work_scope_id = team_work_scopes.work_scope_id
    left join teams
        on
            team_work_scopes.org_id = teams.org_id
            and team_work_scopes.team_id = teams.team_id

),

started_days as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        toDate(assumeNotNull(started_at), 'UTC') as day,
        count() as day_started
    from items
    where started_at is not null and {{ in_changed_cells("toDate(assumeNotNull(started_at), 'UTC')") }}
    group by org_id, provider, work_scope_id, team_id, day

),

completed_days as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        toDate(assumeNotNull(completed_at), 'UTC') as day,
        count() as day_completed,
        {{ exact_quantile(0.5, hours_between('started_at', 'completed_at')) }} as day_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('started_at', 'completed_at')) }} as day_cycle_p90_hours,
        {{ exact_quantile(0.5, hours_between('created_at', 'completed_at')) }} as day_lead_p50_hours,
        {{ exact_quantile(0.9, hours_between('created_at', 'completed_at')) }} as day_lead_p90_hours,
        toNullable(countIf(is_bug) / count()) as day_bug_ratio,
        sum(coalesce(story_points, 0)) as day_story_points
    from items
    where completed_at is not null and {{ in_changed_cells("toDate(assumeNotNull(completed_at), 'UTC')") }}
    group by org_id, provider, work_scope_id, team_id, day

),

-- each organization's own last day of data: an open item is in progress up to it, not up to another org's
last_day as (

    select
        org_id,
        max(event_day) as data_last_day
    from (
        select
            org_id,
            toDate(assumeNotNull(started_at), 'UTC') as event_day
        from items
        where started_at is not null
        union all
        select
            org_id,
            toDate(assumeNotNull(completed_at), 'UTC') as event_day
        from items
        where completed_at is not null
    ) as event_days
    group by org_id

),

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

    select
        org_id,
        toDate(assumeNotNull(started_at), 'UTC') as day,
        cityHash64(tuple('started', provider, work_scope_id, team_id, team_name, work_item_id)) as row_hash
    from items
    where started_at is not null
    union all
    select
        org_id,
        toDate(assumeNotNull(completed_at), 'UTC') as day,
        cityHash64(tuple(
            'completed', provider, work_scope_id, team_id, team_name, work_item_id, is_bug, story_points,
            created_at, started_at, completed_at
        )) as row_hash
    from items
    where completed_at is not null
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

wip_days as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        day,
        count() as day_wip
    from item_wip_days
    where {{ in_changed_cells('day') }}
    group by org_id, provider, work_scope_id, team_id, day

),

scope_days as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        day
    from started_days
    union distinct
    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        day
    from completed_days
    union distinct
    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        day
    from wip_days

),

final as (

    select
        scope_days.org_id as org_id,
        scope_days.day as day,
        scope_days.provider as provider,
        scope_days.work_scope_id as work_scope_id,
        scope_days.team_id as team_id,
        {{ team_key('scope_days.team_id') }} as team_key,
        {{ team_label('scope_days.team_id', 'teams.team_name') }} as team_label,
        toUInt64(coalesce(started_days.day_started, 0)) as items_started,
        toUInt64(coalesce(completed_days.day_completed, 0)) as items_completed,
        toUInt64(coalesce(wip_days.day_wip, 0)) as wip_count_end_of_day,
        completed_days.day_cycle_p50_hours as cycle_time_p50_hours,
        completed_days.day_cycle_p90_hours as cycle_time_p90_hours,
        completed_days.day_lead_p50_hours as lead_time_p50_hours,
        completed_days.day_lead_p90_hours as lead_time_p90_hours,
        completed_days.day_bug_ratio as bug_completed_ratio,
        coalesce(completed_days.day_story_points, 0) as story_points_completed
    -- unmatched joins read 0 (join_use_nulls = 0); the medians and the ratio are Nullable and read NULL
    from scope_days
    left join started_days
        on
            scope_days.org_id = started_days.org_id
            and scope_days.provider = started_days.provider
            and scope_days.work_scope_id = started_days.work_scope_id
            and scope_days.team_id = started_days.team_id
            and scope_days.day = started_days.day
    left join completed_days
        on
            scope_days.org_id = completed_days.org_id
            and scope_days.provider = completed_days.provider
            and scope_days.work_scope_id = completed_days.work_scope_id
            and scope_days.team_id = completed_days.team_id
            and scope_days.day = completed_days.day
    left join wip_days
        on
            scope_days.org_id = wip_days.org_id
            and scope_days.provider = wip_days.provider
            and scope_days.work_scope_id = wip_days.work_scope_id
            and scope_days.team_id = wip_days.team_id
            and scope_days.day = wip_days.day
    left join teams
        on
            scope_days.org_id = teams.org_id
            and scope_days.team_id = teams.team_id

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
