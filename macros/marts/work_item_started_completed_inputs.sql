{#- The rows of cell_inputs for the items started and completed in a period ('day' or 'month'); the model
    adds its items in progress, which each grain finds its own way. -#}
{% macro work_item_started_completed_inputs(period) -%}
    select
        org_id,
        {{ utc_period('assumeNotNull(started_at)', period) }} as {{ period }},
        cityHash64(tuple('started', provider, work_scope_id, team_id, team_name, work_item_id)) as row_hash
    from items
    where started_at is not null
    union all
    select
        org_id,
        {{ utc_period('assumeNotNull(completed_at)', period) }} as {{ period }},
        cityHash64(tuple(
            'completed', provider, work_scope_id, team_id, team_name, work_item_id, is_bug, story_points,
            created_at, started_at, completed_at
        )) as row_hash
    from items
    where completed_at is not null
{%- endmacro %}
