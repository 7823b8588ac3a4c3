{{ config(
    order_by='(org_id, month, provider, work_scope_id, category, subcategory)'
) }}

with

work_items as (

    select * from {{ ref('int_work_items_lifecycle') }}

),

team_work_scopes as (

    select * from {{ ref('int_team_work_scopes') }}

),

investment_categories as (

    select * from {{ ref('investment_categories') }}

),

rules as (

    select groupArray(tuple(match_on, lower(match_value), category, subcategory)) as category_rules
    from investment_categories

),

-- each completed item's categories as a distribution: k matching categories get 1/k of the item each
distributed as (

    select
        work_items.org_id as org_id,
        toStartOfMonth(assumeNotNull(work_items.completed_at), 'UTC') as month,
        work_items.provider as provider,
        work_items.work_scope_id as work_scope_id,
        coalesce(work_items.story_points, 0) as item_story_points,
        arrayDistinct(arrayMap(
            rule -> tuple(rule.3, rule.4),
            arrayFilter(
                rule -> (rule.1 = 'work_item_type' and rule.2 = work_items.work_item_type)
                or (rule.1 = 'label' and has(arrayMap(label -> lower(label), work_items.labels), rule.2)),
                rules.category_rules
            )
        )) as matched_categories,
        if(
            empty(matched_categories),
            [tuple('unclassified', 'unclassified')],
            matched_categories
        ) as category_distribution
    from work_items
    cross join rules
    where work_items.completed_at is not null

),

expanded as (

    select
        org_id,
        month,
        provider,
        work_scope_id,
        item_category.1 as category,
        item_category.2 as subcategory,
        1 / length(category_distribution) as item_weight,
        item_story_points / length(category_distribution) as story_points_weight
    from distributed
    array join category_distribution as item_category

),

category_weights as (

    select
        org_id,
        month,
        provider,
        work_scope_id,
        category,
        subcategory,
        sum(item_weight) as items_completed_weight,
        sum(story_points_weight) as story_points_completed_weight
    from expanded
    group by org_id, month, provider, work_scope_id, category, subcategory

),

scope_team_keys as (

    {{ work_scope_team_keys('work_items', 'team_work_scopes') }}

),

-- a scope's owners are its team keys whatever the month: a team filter reads the owners of today
final as (

    select
        category_weights.org_id as org_id,
        category_weights.month as month,
        category_weights.provider as provider,
        category_weights.work_scope_id as work_scope_id,
        scope_team_keys.team_keys as team_keys,
        category_weights.category as category,
        category_weights.subcategory as subcategory,
        category_weights.items_completed_weight as items_completed_weight,
        category_weights.story_points_completed_weight as story_points_completed_weight,
        now64(6, 'UTC') as computed_at
    from category_weights
    left join scope_team_keys
        on
            category_weights.org_id = scope_team_keys.org_id
            and category_weights.work_scope_id = scope_team_keys.work_scope_id

)

select * from final
