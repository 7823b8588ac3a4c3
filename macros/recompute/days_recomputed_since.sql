{#- The (org_id, day) whose rows keyed model `model_name` wrote or deleted after `since` up to `until`
    (build_clock literals), as a subquery: the days of the rows it wrote since (`_built_at`), `days` being an
    Array(Date) expression over its columns (the days a row counts on; the model's `deleted_days` config), and
    the days of the rows it deleted since, from its deleted_days_log_table. None when that log cannot tell
    (recompute_log_covers: no log yet, or one created after `since`, or a `since` before what the log keeps): the
    caller then recomputes every day. -#}
{% macro days_recomputed_since(model_name, days, since, until) -%}
    {%- set upstream = ref(model_name) -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not recompute_log_covers(upstream, deleted_days_log_table(upstream), since, until, true) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set recomputed -%}
        select org_id, arrayJoin({{ days }}) as day from {{ upstream }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
        union all
        select org_id, day from {{ deleted_days_log_table(upstream) }}
        where built_at > {{ since }} and built_at <= {{ until }}
    {%- endset -%}
    {{ return(recomputed) }}
{%- endmacro %}
