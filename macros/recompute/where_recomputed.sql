{#- An input CTE's filter in a keyed intermediate: on an incremental run, only the rows of the keys the
    pre-hook recompute_keys chose. `columns` are the input's names for the key columns, in their order. -#}
{% macro where_recomputed(columns) -%}
    {%- if not recomputes_everything() %}
    where ({{ columns | join(', ') }}) in (select * except built_at from {{ recompute_keys_table() }})
    {%- endif -%}
{%- endmacro %}
