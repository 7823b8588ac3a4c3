{#- Deduplicate `relation` to the latest version of each natural key: one row per `keys`, holding the
    values of `columns` from the row with the highest `version_column` (the dlt load id), and that
    version as `latest_load_id`. Later loads win, so re-extracted rows never double count.
    The latest row is kept whole (LIMIT 1 BY after ordering each key's versions newest first), so a field
    cleared in the latest load (a reopened incident's resolved_at) reads NULL, not its old value, and every
    column comes from one row. An argMax over a tuple of every column gives the same rows at four times the
    cost (2.7 s against 0.7 s on a million commits: each key's state copies the whole tuple), and an argMax
    per column skips NULLs. Raw tables are ordered by their keys, so the sort reads them in order. -#}
{% macro latest_by(relation, keys, columns, version_column='_dlt_load_id') -%}
    select
        {{ (keys + [version_column ~ ' as latest_load_id'] + columns) | join(', ') }}
    from {{ relation }}
    order by {{ keys | join(', ') }}, {{ version_column }} desc
    limit 1 by {{ keys | join(', ') }}
{%- endmacro %}
