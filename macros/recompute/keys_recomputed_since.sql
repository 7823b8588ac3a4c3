{#- The keys keyed intermediate `model_name` recomputed after `since` up to `until` (build_clock literals), read
    from its recompute_log_table: a subquery selecting its key columns, rows it deleted included, which no
    `_built_at` names. None when the log cannot tell: there is no log yet; the model was rebuilt whole since (a
    full refresh or a new rule writes no log; its oldest `_built_at` is then after `since`, or it is empty); or
    `since` is older than the log keeps (the days of its TTL, as the log was created: a var changed since does
    not bring back expired rows); or the log starts after `since` (its comment, create_recompute_log: what the
    model recomputed before the log existed is in no log). The caller then recomputes every key. -#}
{% macro keys_recomputed_since(model_name, since, until) -%}
    {%- set upstream = ref(model_name) -%}
    {%- set log = recompute_log_table(upstream) -%}
    {#- a build of every key (a full build) reads no log -#}
    {%- if not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not recompute_log_covers(upstream, log, since, until) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return('select * except built_at from ' ~ log ~ ' where built_at > ' ~ since ~ ' and built_at <= ' ~ until) }}
{%- endmacro %}
