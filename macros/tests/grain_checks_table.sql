{#- The record of the grain tests that passed (intermediate.grain_checks): per tested table (by its uuid, so a
    table dropped and created again is checked whole) and grain, the greatest write stamp (`written_at`) of the
    rows a passing test had checked. A grain test with `written_at` checks only the keys written after it. -#}
{% macro grain_checks_table() -%}
    {{- return(api.Relation.create(schema='intermediate', identifier='grain_checks')) -}}
{%- endmacro %}
