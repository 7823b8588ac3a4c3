{#- Create this keyed intermediate's recompute_log_table when missing, or stamp an unstamped one, as `start`
    (recompute_log_start) says: its comment names the build from which it holds every key the model
    recomputed, which keys_recomputed_since reads. Returns the log. -#}
{% macro create_recompute_log(keys, start) -%}
    {%- set log = recompute_log_table() -%}
    {%- if start is not none -%}
        {%- set comment = "'" ~ recompute_log_stamp() ~ start.starts_at ~ "'" -%}
        {%- if start.log_exists -%}
            {%- do run_query('alter table ' ~ log ~ ' ' ~ on_cluster_clause(this) ~ ' modify comment ' ~ comment) -%}
        {%- else -%}
            {%- do run_query('create table if not exists ' ~ log ~ ' ' ~ on_cluster_clause(this) ~ ' engine = '
                ~ config.get('engine') ~ ' order by built_at ttl toDateTime(built_at) + toIntervalDay('
                ~ var('recompute_log_days') ~ ') comment ' ~ comment ~ ' empty as select * from ' ~ keys) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(log) }}
{%- endmacro %}
