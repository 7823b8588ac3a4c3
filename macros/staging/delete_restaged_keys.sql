{#- Pre-hook: on an incremental run with loads to restage, delete the staged rows of their keys. The raw side
    selects each key as staging computes it (`staged_key_expressions`: a numeric review id cast to a string, a
    missing id read as ''), so both sides compare in the staged types and the delete finds its rows through the
    table's primary key rather than converting every staged key to text (2.08M commits: 0.54 s against 0.96 s). -#}
{% macro delete_restaged_keys(source_relation, staged_key_expressions, staged_keys) -%}
    {%- set load_ids = loads_to_restage(source_relation) -%}
    {%- if load_ids -%}
        {{ delete_rows_found(this, '(' ~ staged_keys | join(', ') ~ ') in ('
            ~ restaged_raw_keys(source_relation, staged_key_expressions | join(', '), load_ids) ~ ')') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
