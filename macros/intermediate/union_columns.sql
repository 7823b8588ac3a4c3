{#- Union all of `parts`, each selecting `columns` by name and in that order, so a union never matches two
    columns by their place. A part is `(relation, {column: expression})`: the expressions stand for the columns
    the relation holds under another name or not at all (`{'provider': "'git'"}`, a typed NULL), or add a
    constant such as the rank of the row's source (`{'source_rank': 2}`, for argMin to keep the best source). -#}
{% macro union_columns(columns, parts) -%}
    {%- for relation, expressions in parts %}
        {%- set selected = [] %}
        {%- for column in columns %}
            {%- do selected.append(expressions[column] ~ ' as ' ~ column if column in expressions else column) %}
        {%- endfor %}
        {%- if not loop.first %}
    union all
        {%- endif %}
    select
        {{ selected | join(',\n        ') }}
    from {{ relation }}
    {%- endfor -%}
{%- endmacro %}
