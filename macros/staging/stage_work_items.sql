{#- The staging model of the raw contract's work_items (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__work_items is one call of this macro on its own source table. -#}
{% macro stage_work_items(provider) -%}
    {%- set renamed -%}
        toString(repo_id) as repo_id,

        -- attributes
        toString(work_item_key) as work_item_key,
        toString(project) as project,
        toString(title) as title,
        lower(toString(work_item_type)) as work_item_type,
        toString(status) as status,
        lower(toString(status_category)) as status_category,
        JSONExtract(coalesce(labels, '[]'), 'Array(String)') as labels,

        -- people
        lower(toString(assignee_email)) as assignee_email,

        -- numerics
        toFloat64(story_points) as story_points,

        -- timestamps
        toDateTime64(created_at, 6, 'UTC') as created_at,
        toDateTime64(updated_at, 6, 'UTC') as updated_at,
        toDateTime64(resolved_at, 6, 'UTC') as resolved_at
    {%- endset -%}
    {{ staging_model(provider, 'work_items', renamed) }}
{%- endmacro %}
