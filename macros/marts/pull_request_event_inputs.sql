{#- cell_inputs rows of `pull_requests` events: for each of `events` ('opened', 'merged', 'first_review', read
    from its `<event>_at`), every pull request that has it, hashed with `columns` into the UTC `period` of the
    event, under `condition`. The caller writes `union all` before it. -#}
{% macro pull_request_event_inputs(events, period, columns=[], condition='true') -%}
    {%- for event in events %}
        {%- if not loop.first %}
    union all
        {%- endif %}
    select
        org_id,
        {{ utc_period('assumeNotNull(' ~ event ~ '_at)', period) }} as {{ period }},
        cityHash64(tuple(
            '{{ event }}', repo_id, pr_number, {{ (columns + ['opened_at', event ~ '_at']) | join(', ') }}
        )) as row_hash
    from pull_requests
    where {{ event }}_at is not null and {{ condition }}
    {%- endfor -%}
{%- endmacro %}
