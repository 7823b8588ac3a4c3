{#- The rows an append-only `_versions` mart adds on this run: the rows of `final` in each changed cell
    (changed_cells), stamped with the cell's fingerprint and computed_at. A changed cell with no rows left in
    `final` (its inputs are all gone) gets one empty-cell marker row, which the view over the mart drops
    (latest_computation_rows). `final` lists the mart's columns in the table's order, org_id and the period among
    them; they take the changed cell's values, so the marker row has its cell's keys. sqlfluff's ClickHouse dialect
    does not parse `* REPLACE (...)`: the marts call this macro after `-- noqa: disable=PRS` (on a line
    of its own: a comment ending the model would swallow the parenthesis dbt closes around it). -#}
{% macro cell_versions(final='final', period='day') -%}
select
    {{ final }}.* replace (
        changed_cells.org_id as org_id,
        changed_cells.{{ period }} as {{ period }}
    ),
    toUInt64(changed_cells.cell_fingerprint) as cell_fingerprint,
    -- unmatched: '' with join_use_nulls = 0, NULL with 1
    coalesce({{ final }}.org_id, '') = '' as is_empty_cell,
    now64(6, 'UTC') as computed_at
from changed_cells
left join {{ final }}
    on
        changed_cells.org_id = {{ final }}.org_id
        and changed_cells.{{ period }} = {{ final }}.{{ period }}
{%- endmacro %}
