{#- The rows of `query`, a select of `columns`, read through one scalar subquery: ClickHouse computes a scalar
    subquery once per statement, where a CTE is computed again at each reference. For a small set a statement
    reads several times (changed_cells' cells; int_identities_resolved's emails, 1.09 -> 0.65 s at 2M commits):
    the rows travel as one array, so never for a large one. -#}
{% macro rows_computed_once(query, columns) -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- do selected.append('tupleElement(computed_row, ' ~ loop.index ~ ') as ' ~ column) -%}
    {%- endfor -%}
    select {{ selected | join(', ') }}
    from (
        select arrayJoin((
            select groupArray(tuple({{ columns | join(', ') }}))
            from (
                {{ query }}
            ) as computed
        )) as computed_row
    ) as computed_rows
{%- endmacro %}
