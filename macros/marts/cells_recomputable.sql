{#- A condition on a cell's `period` column: whether this run may recompute it. None on `dbt run --empty`,
    which reads every input as empty (every stored cell would read as gone); none older than the retention
    horizon once raw retention is applied (retention_horizon). -#}
{% macro cells_recomputable(period='day') -%}
    {%- set horizon = retention_horizon(period) -%}
    {{- 'false' if flags.EMPTY else (period ~ ' >= ' ~ horizon if horizon else 'true') -}}
{%- endmacro %}
