{#- True for the rows of cells this run recomputes: on a full build every row. `expression` is the row's
    period (a UTC Date: its day, or the first of its month), `org_column` its org. -#}
{% macro in_changed_cells(expression, org_column='org_id', period='day') -%}
    {%- if is_incremental() -%}
        ({{ org_column }}, {{ expression }}) in (select org_id, {{ period }} from changed_cells)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
