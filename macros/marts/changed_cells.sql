{#- The cells (org and period) an append-only mart recomputes on this run, with each cell's input fingerprint.

    `cell_inputs` names a CTE of (org_id, <period>, row_hash): one row per input row a cell reads, hashed over
    every column the cell's figures depend on. A cell's fingerprint is the sum of its rows' hashes (UInt64,
    wrapping; order-free and a duplicate row changes it), plus cell_salt (the model's code and the vars that
    change what models compute), so a changed rule recomputes every cell.

    A full build computes every cell. An incremental run compares each cell's fingerprint with the one the mart
    stored at the cell's latest computation, and recomputes a cell when they differ, whatever its age: a late or
    backfilled row, an updated or deleted one, an identity merge or a team change (which change the hashed
    person or team), a new seed row. A cell the mart holds whose inputs are all gone is recomputed too, to
    nothing: its latest computation is then an empty-cell marker, and the view over the mart drops it.

    Cells older than the raw retention horizon are never recomputed once raw retention is applied: their raw
    rows expire, and the mart keeps the figures they gave (retention_horizon). -#}
{% macro changed_cells(cell_inputs, period='day') -%}
    {#- computed once (rows_computed_once): the marts read this set in every input CTE and in the final join -#}
    {%- set cells -%}
        -- on an incremental run, current and stored fingerprints side by side in one pass over the inputs: a cell
        -- never computed reads stored 0, a cell whose inputs are all gone reads current 0 (recomputed to
        -- nothing, once: its marker stores 0), whatever join_use_nulls says
        select
            org_id,
            {{ period }},
            coalesce(current_cells.current_fingerprint, 0) as cell_fingerprint
        from (
            select
                org_id,
                {{ period }},
                sum(row_hash) + {{ cell_salt() }} as current_fingerprint
            from {{ cell_inputs }}
            group by org_id, {{ period }}
        ) as current_cells
        {% if is_incremental() -%}
        full join (
            {{ stored_cell_fingerprints(period) | indent(12) }}
        ) as stored_cells using (org_id, {{ period }})
        where
            {{ cells_recomputable(period) }}
            and coalesce(current_cells.current_fingerprint, 0) != coalesce(stored_cells.stored_fingerprint, 0)
        {% endif %}
    {%- endset %}
    {{ rows_computed_once(cells, ['org_id', period, 'cell_fingerprint']) }}
{%- endmacro %}
