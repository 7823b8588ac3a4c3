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
    {#- the log's row in system.tables read once: it exists, its TTL (days) reaches back to `since`, and its stamp
        is not after `since`; an unstamped log reads NULL, not 1970 (toDateTime64OrNull('') is 1970) -#}
    {%- set covered = run_query(
        "select ifNull((select count() > 0 and min(_built_at) <= " ~ since ~ " from " ~ upstream ~ ")"
        ~ " and (select count() = 1"
        ~ " and " ~ since ~ " >= " ~ until ~ " - toIntervalDay(toUInt32OrZero(extract(any(engine_full),"
        ~ " 'toIntervalDay[(]([0-9]+)[)]')))"
        ~ " and toDateTime64OrNull(nullIf(extract(any(comment), '^" ~ recompute_log_stamp() ~ "(.+)$'), ''),"
        ~ " 6, 'UTC') <= " ~ since
        ~ " from system.tables where database = '" ~ log.schema ~ "' and name = '" ~ log.identifier ~ "'), 0)"
    ).rows[0][0] -%}
    {%- if not covered -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return('select * except built_at from ' ~ log ~ ' where built_at > ' ~ since ~ ' and built_at <= ' ~ until) }}
{%- endmacro %}
