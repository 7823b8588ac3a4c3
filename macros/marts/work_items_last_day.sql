{#- Each organization's own last day of data (the last day an item of `relation` started or completed), as the
    body of a `last_day` CTE: an open item is in progress up to it, not up to another org's. -#}
{% macro work_items_last_day(relation) -%}
    select
        org_id,
        max(event_day) as data_last_day
    from (
        select
            org_id,
            toDate(assumeNotNull(started_at), 'UTC') as event_day
        from {{ relation }}
        where started_at is not null
        union all
        select
            org_id,
            toDate(assumeNotNull(completed_at), 'UTC') as event_day
        from {{ relation }}
        where completed_at is not null
    ) as event_days
    group by org_id
{%- endmacro %}
