{#- Pre-hook: on an incremental run with loads to restage, delete the staged rows of their keys. The raw side
    selects each key as staging computes it (`staged_key_expressions`: a numeric review id cast to a string, a
    missing id read as ''), so both sides compare in the staged types rather than converting every staged key to
    text (2.08M commits: 0.54 s against 0.96 s). The last key column (a sha, a review id) is matched alone first,
    as in_recompute_keys: ClickHouse reads that one column of every staged row and compares the whole key only
    where it matches (the look for a day's 3,269 new commits among 2M: 0.04 s against 0.2 s). -#}
{% macro delete_restaged_keys(source_relation, staged_key_expressions, staged_keys) -%}
    {%- set load_ids = loads_to_restage(source_relation) -%}
    {%- if load_ids -%}
        {{ delete_rows_found(this, staged_keys[-1] ~ ' in ('
            ~ restaged_raw_keys(source_relation, staged_key_expressions[-1], load_ids) ~ ') and ('
            ~ staged_keys | join(', ') ~ ') in ('
            ~ restaged_raw_keys(source_relation, staged_key_expressions | join(', '), load_ids) ~ ')') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
