{#- Create this keyed intermediate's recompute_log_table with the start `start` names (recompute_log_start), in
    its comment: the build from which it holds every key the model recomputed, which keys_recomputed_since
    reads. An unstamped log is replaced, not stamped in place: its rows are before its new start, so no reader
    would take them, and a comment set by ALTER ON CLUSTER has reached only some replicas on several ClickHouse
    versions, where CREATE ON CLUSTER runs on every one. Returns the log. -#}
{% macro create_recompute_log(keys, start) -%}
    {%- set log = recompute_log_table() -%}
    {%- if start is not none -%}
        {%- if start.log_exists -%}
            {%- do run_query('drop table if exists ' ~ log ~ ' ' ~ on_cluster_clause(this) ~ ' sync') -%}
        {%- endif -%}
        {%- do run_query('create table if not exists ' ~ log ~ ' ' ~ on_cluster_clause(this) ~ ' engine = '
            ~ config.get('engine') ~ ' order by built_at ttl toDateTime(built_at) + toIntervalDay('
            ~ var('recompute_log_days') ~ ") comment '" ~ recompute_log_stamp() ~ start.starts_at
            ~ "' empty as select * from " ~ keys) -%}
    {%- endif -%}
    {{ return(log) }}
{%- endmacro %}
