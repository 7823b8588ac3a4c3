with

work_items as (

    select * from {{ ref('int_work_items_unioned') }}

),

transitions as (

    select * from {{ ref('int_work_item_transitions_unioned') }}

),

rework_link_rules as (

    select * from {{ ref('rework_link_rules') }}

),

-- what a bug is, as DORA rework reads it (whether or not rework links bugs: that is the rule's `enabled`); read
-- as a scalar subquery, a constant that ClickHouse compiles once as a regex (int_commit_rework_candidates)
bug_rule as (

    select anyIf(coalesce(pattern, ''), link_type = 'bug_work_item') as bug_pattern
    from rework_link_rules

),

transition_times as (

    select
        org_id,
        provider,
        work_item_id,
        minIfOrNull(transitioned_at, to_category = 'in_progress') as first_in_progress_at,
        maxIfOrNull(transitioned_at, to_category = 'done') as last_done_at,
        count() as transitions_count
    from transitions
    group by org_id, provider, work_item_id

),

final as (

    select
        work_items.org_id as org_id,
        work_items.provider as provider,
        work_items.work_item_id as work_item_id,
        work_items.work_item_key as work_item_key,
        coalesce(work_items.project, '') as work_scope_id,
        work_items.repo_id as repo_id,
        coalesce(work_items.work_item_type, '') as work_item_type,
        {{ is_bug_work_item(
            'work_items.work_item_type', 'work_items.labels', '(select bug_pattern from bug_rule)'
        ) }} as is_bug,
        work_items.status as status,
        work_items.status_category as status_category,
        work_items.assignee_email as assignee_email,
        work_items.story_points as story_points,
        work_items.labels as labels,
        assumeNotNull(work_items.created_at) as created_at,
        -- an item that never passed through in progress has no start, so no cycle time
        transition_times.first_in_progress_at as started_at,
        if(
            work_items.status_category = 'done',
            coalesce(work_items.resolved_at, transition_times.last_done_at, work_items.updated_at),
            null
        ) as completed_at,
        toUInt64(coalesce(transition_times.transitions_count, 0)) as transitions_count
    from work_items
    left join transition_times using (org_id, provider, work_item_id)
    where work_items.created_at is not null and {{ is_plausible_time('work_items.created_at') }}

)

select * from final
