{#- Run by recompute_keys before it replaces the keys table `keys`: this keyed intermediate's log
    (recompute_log_table), created when missing and replaced when unstamped, with the columns of `chosen` (the
    keys query) and a comment naming the build from which it holds every key the model recomputed, which
    keys_recomputed_since reads:
    - 1970 when no build before chose keys (no keys table yet): every earlier build rebuilt the table whole,
      which keys_recomputed_since sees by its `_built_at`, so the log misses no recomputed key;
    - this build's `built_at` when earlier builds chose keys with no log to append them to: a warehouse upgraded
      from a version without logs, or whose log was created before logs were stamped or was dropped. The models
      downstream then recompute every key once.
    The keys table is that trace: dropping the log alone is safe, dropping the keys table with it is not.
    An unstamped log is replaced, not stamped in place: its rows are before its new start, so no reader would
    take them, and a comment set by ALTER ON CLUSTER has reached only some replicas on several ClickHouse
    versions, where CREATE ON CLUSTER runs on every one. Returns the log. -#}
{% macro create_recompute_log(keys, chosen, built_at) -%}
    {%- set log = recompute_log_table() -%}
    {%- set found = run_query(
        "select countIf(name = '" ~ log.identifier ~ "'), anyIf(comment, name = '" ~ log.identifier ~ "'),"
        ~ " countIf(name = '" ~ keys.identifier ~ "'), toString(" ~ built_at ~ ") from system.tables"
        ~ " where database = '" ~ log.schema ~ "' and name in ('" ~ log.identifier ~ "', '" ~ keys.identifier ~ "')"
    ).rows[0] -%}
    {%- if found[0] and found[1].startswith(recompute_log_stamp()) -%}
        {{ return(log) }}
    {%- endif -%}
    {%- if found[0] -%}
        {%- do run_query('drop table if exists ' ~ log ~ ' ' ~ on_cluster_clause(this) ~ ' sync') -%}
    {%- endif -%}
    {%- set starts_at = found[3] if found[0] or found[2] else '1970-01-01 00:00:00.000000' -%}
    {%- do run_query('create table if not exists ' ~ log ~ ' ' ~ on_cluster_clause(this)
        ~ ' engine = ' ~ config.get('engine') ~ ' order by built_at'
        ~ ' ttl toDateTime(built_at) + toIntervalDay(' ~ var('recompute_log_days') ~ ')'
        ~ " comment '" ~ recompute_log_stamp() ~ starts_at ~ "' empty as " ~ chosen) -%}
    {{ return(log) }}
{%- endmacro %}
