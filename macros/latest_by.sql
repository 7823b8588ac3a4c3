{#- Deduplicate to the latest version of each row: argMax of every column by `version_column`,
    grouped by the natural key. Later loads win, so re-extracted rows never double count. -#}
{% macro latest_by(columns, key_columns, version_column) -%}
    {%- for column in columns if column not in key_columns %}
    argMax({{ column }}, {{ version_column }}) as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
