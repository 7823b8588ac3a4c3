{#- One row per `keys` tuple found in any of `figures` (CTE name -> its figure columns), with every figure column
    beside it: NULL where that CTE has no row for the key. Each figure CTE is keyed by `keys` (one row per key),
    so max() of a column picks its one value. ClickHouse inlines a CTE at each reference: a union distinct of the
    keys followed by a left join per CTE computed every figure twice; this reads each once. -#}
{% macro figures_by_key(figures, keys) -%}
    {%- set columns = [] -%}
    {%- for figure_columns in figures.values() -%}
        {%- do columns.extend(figure_columns) -%}
    {%- endfor -%}
    {%- set picked = [] -%}
    {%- for column in columns -%}
        {%- do picked.append('max(figure_rows.' ~ column ~ ') as ' ~ column) -%}
    {%- endfor -%}
select
    {{ (keys + picked) | join(',\n    ') }}
from (
    {%- for relation, figure_columns in figures.items() %}
        {%- set selected = [] %}
        {%- for column in columns %}
            {%- do selected.append(column if column in figure_columns else 'null as ' ~ column) %}
        {%- endfor %}
        {%- if not loop.first %}
    union all
        {%- endif %}
    select
        {{ (keys + selected) | join(',\n        ') }}
    from {{ relation }}
    {%- endfor %}
) as figure_rows
group by {{ keys | join(', ') }}
{%- endmacro %}
