{#- Incremental staging of a large dlt table. A full build deduplicates every raw row. An incremental run
    restages only the natural keys of loads committed since the table was last staged: the pre-hook
    `delete_restaged_keys` removes their staged rows, and the model, filtered with `where_key_restaged`,
    deduplicates every raw version of those keys (not only the new ones, so a key's latest version always
    wins) and appends the result. A key whose latest version is a tombstone is deleted and not inserted again.
    A load counts once dlt has committed it (its `_dlt_loads` row), in commit order: a sync that commits an
    older load id after a newer one, or rows a running load has written before it commits, are picked up by
    the next build, never skipped. Model and pre-hook each list the loads before the delete runs. -#}

{#- The source CTE's filter: on an incremental run, only the raw rows of keys to restage, matched as
    in_recompute_keys matches them: the last key column (a sha, an id) alone first, so ClickHouse reads that one
    column of every raw row and compares the whole key only where it matches (a day's 3,269 commits among 2M:
    0.05 s against 0.21 s for the key tuple alone). -#}
{% macro where_key_restaged(source_relation, raw_keys) -%}
    {%- if is_incremental() %}
        where {{ in_recompute_keys(raw_keys, '(' ~ restaged_raw_keys(
            source_relation, raw_keys | join(', '), loads_to_restage(source_relation)) ~ ')') }}
    {%- endif -%}
{%- endmacro %}
