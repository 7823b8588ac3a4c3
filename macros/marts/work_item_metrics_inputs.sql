{#- The inputs of work_item_metrics_daily_versions (period 'day') and work_item_metrics_monthly_versions
    ('month'), as CTEs: the imports, `items` (each item under each team owning its work scope) and `last_day`. -#}
{% macro work_item_metrics_inputs(period) -%}
-- the imports, shared with fct_work_items
{{ work_item_imports() }},

-- an item counts for every team owning its work scope, and under team '' when no team owns it
-- (an unmatched join reads '', join_use_nulls = 0); the team's name is hashed with each item, so renaming a
-- team recomputes the {{ period }}s that show it
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
    {{ work_item_team_joins() }}

),

-- each organization's own last day of data: an open item is in progress up to it, not up to another org's
last_day as (

    {{ work_items_last_day('items') }}

)
{%- endmacro %}
