{{ config(order_by='(org_id, provider, work_item_id, team_id)') }}

with

{{ work_item_imports() }},

-- each organization's own last day of data, as work_item_metrics_daily finds it (the last day an item
-- started or completed): an open item is aged up to the end of it, not up to another org's
last_day as (

    {{ work_items_last_day('work_items') }}

),

-- an item counts for every team owning its work scope, and under team '' when no team owns it
-- (an unmatched join reads '', join_use_nulls = 0), as in work_item_metrics_daily
final as (

    select
        work_items.org_id as org_id,
        work_items.provider as provider,
        work_items.work_item_id as work_item_id,
        team_work_scopes.team_id as team_id,
        {{ team_key('team_work_scopes.team_id') }} as team_key,
        {{ team_label('team_work_scopes.team_id', 'teams.team_name') }} as team_label,
        work_items.work_item_key as work_item_key,
        work_items.work_scope_id as work_scope_id,
        work_items.work_item_type as work_item_type,
        -- the bug rule work_item_metrics_daily's bug ratio counts by (type or label), so a BI filter agrees with it
        work_items.is_bug as is_bug,
        work_items.status as status,
        work_items.status_category as status_category,
        work_items.created_at as created_at,
        work_items.started_at as started_at,
        work_items.completed_at as completed_at,
        {{ hours_between('work_items.started_at', 'work_items.completed_at') }} as cycle_hours,
        {{ hours_between('work_items.created_at', 'work_items.completed_at') }} as lead_hours,
        work_items.completed_at is null as is_open,
        work_items.started_at is not null and work_items.completed_at is null as is_in_progress,
        -- the end of the org's last day of data; NULL when no item of the org ever started or completed
        if(
            last_day.org_id = '', null, toDateTime64(last_day.data_last_day + 1, 6, 'UTC')
        ) as as_of_at,
        if(is_in_progress, {{ hours_between('work_items.started_at', 'as_of_at') }}, null) as wip_age_hours,
        now64(6, 'UTC') as computed_at
    from work_items
    {{ work_item_team_joins() }}
    left join last_day on work_items.org_id = last_day.org_id

)

select * from final
