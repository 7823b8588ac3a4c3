{#- For each (staging model, event time column) in `timed`: per org, the rows whose time is out of range
    (is_plausible_time), with the earliest and latest such time; the branches joined by UNION ALL. -#}
{% macro rows_out_of_time_range_by_table(timed) -%}
    {%- for model, column in timed %}
    select
        org_id,
        '{{ model }}' as source_table,
        '{{ column }}' as time_column,
        count() as rows_out_of_range,
        min({{ column }}) as earliest_at,
        max({{ column }}) as latest_at
    from {{ ref(model) }}
    where not {{ is_plausible_time(column) }}
    group by org_id
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
