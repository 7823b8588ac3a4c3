{#- Run by recompute_keys before it deletes the rows of this keyed model meeting `condition` (its keys', all of them
    when it recomputes everything or a --full-refresh replaces the table; none on its first build), with the
    model's `deleted_days` config: the (org_id, day) of those rows go to deleted_days_log_table, stamped with the
    build's `built_at` (a build_clock literal). The log is created when missing, its comment naming the build
    from which it holds every deleted row's days (recompute_log_stamp, read by recompute_log_covers), and expires
    as the keys log. Nothing without the config. -#}
{% macro log_deleted_days(condition, built_at) -%}
    {%- set days = config.get('deleted_days') -%}
    {%- if not days -%}
        {{ return('') }}
    {%- endif -%}
    {%- set log = deleted_days_log_table() -%}
    {%- if adapter.get_relation(log.database, log.schema, log.identifier) is none -%}
        {%- do run_query('create table if not exists ' ~ log ~ ' ' ~ on_cluster_clause(this)
            ~ " (org_id String, day Date, built_at DateTime64(6, 'UTC'))"
            ~ ' engine = ' ~ config.get('engine') ~ ' order by built_at'
            ~ ' ttl toDateTime(built_at) + toIntervalDay(' ~ var('recompute_log_days') ~ ')'
            ~ " comment '" ~ recompute_log_stamp() ~ modules.re.search("'([^']+)'", built_at).group(1) ~ "'") -%}
    {%- endif -%}
    {%- if condition is not none -%}
        {%- do run_query('insert into ' ~ log ~ ' select distinct org_id, arrayJoin(' ~ days ~ ') as day, '
            ~ built_at ~ ' as built_at from ' ~ this ~ ' where ' ~ condition) -%}
    {%- endif -%}
{%- endmacro %}
