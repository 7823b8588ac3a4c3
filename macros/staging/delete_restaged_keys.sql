{#- Pre-hook: on an incremental run with loads to restage, delete the staged rows of their keys. Staging
    casts some keys (a numeric review id becomes a string), so both sides compare as strings. -#}
{% macro delete_restaged_keys(source_relation, raw_keys, staged_keys) -%}
    {%- set load_ids = loads_to_restage(source_relation) -%}
    {%- if load_ids -%}
        delete from {{ this }}
        where ({{ as_strings(staged_keys) }}) in ({{ restaged_raw_keys(source_relation, as_strings(raw_keys), load_ids) }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
