{#- The rows an append-only `_versions` mart adds on this run, for a mart whose figures need one pass over the
    whole history before they can be filtered to a cell (windows over every run of a workflow): changed_cells,
    then a final CTE filtered to its cells, would make that pass twice.

    `figures` names a CTE holding the mart's rows for every cell, in the table's column order, then `cell_hash`:
    the sum of the row hashes of the inputs the row's figures read. A cell's fingerprint is the sum of its rows'
    cell_hash plus cell_salt(salt), as changed_cells computes it. A full build adds every row; an incremental
    run the rows of each cell whose fingerprint differs from the stored one, and one empty-cell marker
    (fingerprint 0) for a stored cell with no rows left, as cell_versions does. -#}
{% macro cell_versions_in_one_pass(figures, period='day', salt='') -%}
    {%- set cells -%}
        (
            select
                * except (cell_hash),
                sum(cell_hash) over (partition by org_id, {{ period }}) + {{ cell_salt(salt) }} as current_fingerprint,
                true as has_rows
            from {{ figures }}
        ) as cells
    {%- endset -%}
    {%- if is_incremental() %}
select
    -- the keys of a stored cell with no rows left come from the stored side of the join: `using` columns read
    -- whichever side holds the cell
    cells.* except (current_fingerprint, has_rows) replace (org_id as org_id, {{ period }} as {{ period }}),
    toUInt64(coalesce(cells.current_fingerprint, 0)) as cell_fingerprint,
    -- a column of the cells' own, not a join key: unmatched, false with join_use_nulls = 0, NULL with 1
    not coalesce(cells.has_rows, false) as is_empty_cell,
    now64(6, 'UTC') as computed_at
from {{ cells }}
full join (
    {{ stored_cell_fingerprints(period) | indent(4) }}
) as stored_cells using (org_id, {{ period }})
where
    {{ cells_recomputable(period) }}
    and coalesce(cells.current_fingerprint, 0) != coalesce(stored_cells.stored_fingerprint, 0)
    {%- else %}
select
    * except (current_fingerprint, has_rows),
    toUInt64(current_fingerprint) as cell_fingerprint,
    false as is_empty_cell,
    now64(6, 'UTC') as computed_at
from {{ cells }}
    {%- endif %}
{%- endmacro %}
