{#- A mart rebuilt whole by each build (DORA, per deployment, per pull request) keeps its rows of periods before
    the retention horizon: the model filters what it computes with `within_retention(period)` and appends
    `rows_past_retention(period)`, its own rows before the horizon, which a rebuild reads from the table it
    replaces. Nothing applies until raw retention is, so such a mart is otherwise a plain rebuild. -#}
{% macro within_retention(period) -%}
    {%- set horizon = retention_horizon() -%}
    {{ period ~ ' >= ' ~ horizon if horizon else 'true' }}
{%- endmacro %}
