{#- A mart rebuilt whole by each build (DORA, per deployment) keeps its rows of periods before the retention
    horizon: the model filters what it computes with `within_retention(period)` and appends
    `rows_past_retention(period)`, its own rows before the horizon, which a rebuild reads from the table it
    replaces. Nothing applies until raw retention is, so such a mart is otherwise a plain rebuild. A keyed mart
    (pr_cycle_breakdown) filters with `within_retention` alone: its rows before the horizon are never deleted
    (its keys macro chooses none there). -#}
{% macro within_retention(period) -%}
    {%- set horizon = retention_horizon() -%}
    {{ period ~ ' >= ' ~ horizon if horizon else 'true' }}
{%- endmacro %}
