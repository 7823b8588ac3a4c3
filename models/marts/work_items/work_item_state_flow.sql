{{ config(
    order_by='(org_id, month, provider, work_scope_id, from_status, to_status)'
) }}

with

transitions as (

    select * from {{ ref('int_work_item_transitions_unioned') }}

),

work_items as (

    select * from {{ ref('int_work_items_lifecycle') }}

),

team_work_scopes as (

    select * from {{ ref('int_team_work_scopes') }}

),

scope_team_keys as (

    {{ work_scope_team_keys('work_items', 'team_work_scopes') }}

),

flows as (

    select
        transitions.org_id as org_id,
        toStartOfMonth(transitions.transitioned_at, 'UTC') as month,
        transitions.provider as provider,
        work_items.work_scope_id as work_scope_id,
        -- the first transition of an item has no source state: it flows from its creation
        coalesce(nullif(transitions.from_status, ''), '(created)') as flow_from_status,
        transitions.to_status as flow_to_status,
        count() as transitions_count,
        uniqExact(transitions.work_item_id) as items_count
    from transitions
    inner join work_items
        on
            transitions.org_id = work_items.org_id
            and transitions.provider = work_items.provider
            and transitions.work_item_id = work_items.work_item_id
    group by org_id, month, provider, work_scope_id, flow_from_status, flow_to_status

),

-- a scope's owners are its team keys whatever the month: a team filter reads the owners of today
final as (

    select
        flows.org_id as org_id,
        flows.month as month,
        flows.provider as provider,
        flows.work_scope_id as work_scope_id,
        scope_team_keys.team_keys as team_keys,
        flows.flow_from_status as from_status,
        flows.flow_to_status as to_status,
        toUInt64(flows.transitions_count) as transitions_count,
        toUInt64(flows.items_count) as items_count,
        now64(6, 'UTC') as computed_at
    from flows
    left join scope_team_keys
        on
            flows.org_id = scope_team_keys.org_id
            and flows.work_scope_id = scope_team_keys.work_scope_id

)

select * from final
