{#- An input CTE's filter in a keyed intermediate: on an incremental run, only the rows of the keys the
    pre-hook recompute_keys chose. `columns` are the key columns, named as the input and the keys table both
    name them, in their order. -#}
{% macro where_recomputed(columns) -%}
    {%- if not recomputes_everything() %}
    where {{ in_recompute_keys(columns, recompute_keys_table()) }}
    {%- endif -%}
{%- endmacro %}
