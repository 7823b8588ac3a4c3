{{ config(
    order_by='(org_id, month, provider, work_scope_id, team_id)',
    projections=[latest_computations_projection('month')]
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
-- (an unmatched join reads '', join_use_nulls = 0), as in work_item_metrics_daily; the team's name is hashed
-- with each item, so renaming a team recomputes the months that show it
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

    select
        org_id,
        toStartOfMonth(toDate(assumeNotNull(started_at), 'UTC')) as month,
        cityHash64(tuple('started', provider, work_scope_id, team_id, team_name, work_item_id)) as row_hash
    from items
    where started_at is not null
    union all
    select
        org_id,
        toStartOfMonth(toDate(assumeNotNull(completed_at), 'UTC')) as month,
        cityHash64(tuple(
            'completed', provider, work_scope_id, team_id, team_name, work_item_id, is_bug, story_points,
            created_at, started_at, completed_at
        )) as row_hash
    from items
    where completed_at is not null
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

-- every figure is computed over the month's own items, as work_item_metrics_daily computes it over a day's:
-- the counts equal the sums of the days, the medians, percentiles and the bug ratio are the month's
started_months as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        toStartOfMonth(toDate(assumeNotNull(started_at), 'UTC')) as month,
        count() as month_started
    from items
    where
        started_at is not null
        and {{ in_changed_cells("toStartOfMonth(toDate(assumeNotNull(started_at), 'UTC'))", period='month') }}
    group by org_id, provider, work_scope_id, team_id, month

),

completed_months as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        toStartOfMonth(toDate(assumeNotNull(completed_at), 'UTC')) as month,
        count() as month_completed,
        {{ exact_quantile(0.5, hours_between('started_at', 'completed_at')) }} as month_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('started_at', 'completed_at')) }} as month_cycle_p90_hours,
        {{ exact_quantile(0.5, hours_between('created_at', 'completed_at')) }} as month_lead_p50_hours,
        {{ exact_quantile(0.9, hours_between('created_at', 'completed_at')) }} as month_lead_p90_hours,
        toNullable(countIf(is_bug) / count()) as month_bug_ratio,
        sum(coalesce(story_points, 0)) as month_story_points
    from items
    where
        completed_at is not null
        and {{ in_changed_cells("toStartOfMonth(toDate(assumeNotNull(completed_at), 'UTC'))", period='month') }}
    group by org_id, provider, work_scope_id, team_id, month

),

wip_months as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        month,
        count() as month_wip
    from item_wip_months
    where {{ in_changed_cells('month', period='month') }}
    group by org_id, provider, work_scope_id, team_id, month

),

scope_months as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        month
    from started_months
    union distinct
    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        month
    from completed_months
    union distinct
    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        month
    from wip_months

),

final as (

    select
        scope_months.org_id as org_id,
        scope_months.month as month,
        scope_months.provider as provider,
        scope_months.work_scope_id as work_scope_id,
        scope_months.team_id as team_id,
        {{ team_key('scope_months.team_id') }} as team_key,
        {{ team_label('scope_months.team_id', 'teams.team_name') }} as team_label,
        toUInt64(coalesce(started_months.month_started, 0)) as items_started,
        toUInt64(coalesce(completed_months.month_completed, 0)) as items_completed,
        toUInt64(coalesce(wip_months.month_wip, 0)) as wip_count_end_of_month,
        completed_months.month_cycle_p50_hours as cycle_time_p50_hours,
        completed_months.month_cycle_p90_hours as cycle_time_p90_hours,
        completed_months.month_lead_p50_hours as lead_time_p50_hours,
        completed_months.month_lead_p90_hours as lead_time_p90_hours,
        completed_months.month_bug_ratio as bug_completed_ratio,
        coalesce(completed_months.month_story_points, 0) as story_points_completed
    -- unmatched joins read 0 (join_use_nulls = 0); the medians and the ratio are Nullable and read NULL
    from scope_months
    left join started_months
        on
            scope_months.org_id = started_months.org_id
            and scope_months.provider = started_months.provider
            and scope_months.work_scope_id = started_months.work_scope_id
            and scope_months.team_id = started_months.team_id
            and scope_months.month = started_months.month
    left join completed_months
        on
            scope_months.org_id = completed_months.org_id
            and scope_months.provider = completed_months.provider
            and scope_months.work_scope_id = completed_months.work_scope_id
            and scope_months.team_id = completed_months.team_id
            and scope_months.month = completed_months.month
    left join wip_months
        on
            scope_months.org_id = wip_months.org_id
            and scope_months.provider = wip_months.provider
            and scope_months.work_scope_id = wip_months.work_scope_id
            and scope_months.team_id = wip_months.team_id
            and scope_months.month = wip_months.month
    left join teams
        on
            scope_months.org_id = teams.org_id
            and scope_months.team_id = teams.team_id

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'month') }}
