{#- The distinct key tuples that any of `relations` holds: the cells a mart reports, when each of its figures
    comes from its own CTE and a cell with any one of them is a row. -#}
{% macro distinct_keys(relations, keys) -%}
    {%- for relation in relations %}
        {%- if not loop.first %}
    union distinct
        {%- endif %}
    select {{ keys | join(', ') }} from {{ relation }}
    {%- endfor -%}
{%- endmacro %}
