{#- Deduplicate to the latest version of each row: the value of every column in the row with the
    highest `version_column`, grouped by the natural key. Later loads win, so re-extracted rows
    never double count. The value is wrapped in a tuple because argMax skips NULL values: a field
    cleared in the latest load (a reopened incident's resolved_at) must read NULL, not its old value. -#}
{% macro latest_by(columns, version_column) -%}
    {%- for column in columns %}
    argMax(tuple({{ column }}), {{ version_column }}).1 as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
