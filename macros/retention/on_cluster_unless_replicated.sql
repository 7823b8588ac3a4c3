{#- ` on cluster <cluster>` for DDL on a table of `database` on a cluster target; '' on one server, and when
    `database` is a Replicated database, which replicates its DDL itself. -#}
{% macro on_cluster_unless_replicated(database) -%}
    {%- set cluster = adapter.get_clickhouse_cluster_name() -%}
    {%- if not cluster -%}
        {{ return('') }}
    {%- endif -%}
    {%- set engine = run_query("select engine from system.databases where name = '" ~ database ~ "'") -%}
    {{ return('' if engine.rows and engine.rows[0][0] == 'Replicated' else ' on cluster ' ~ cluster) }}
{%- endmacro %}
