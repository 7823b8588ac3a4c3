{#- Run at the end of every dbt invocation (on-run-end): for each grain test with `written_at` that passed, one
    grain_checks row with the greatest stamp its table holds now, which no later node of the run rewrites (a
    model's tests run after it). Nothing is recorded for a failed, erroring or skipped test, so the next run
    checks again every key written since the last pass; nor under --empty, whose tests read no rows. Only
    `dbt build` (and its retry) records: `dbt test` writes nothing, so it runs as a read-only user, and the next
    build checks what it did again. A singular test has no test_metadata. The stamp is read here, after the
    test: where one dbt session's statements could reach different replicas (a load balancer without session
    affinity), the replica a test read could lag the one read here; point dbt at one replica. -#}
{% macro record_grain_checks(results) -%}
    {%- if not execute or flags.EMPTY or flags.WHICH not in ('build', 'retry') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set passed = [] -%}
    {%- for result in results
        if result.node.resource_type == 'test' and result.status == 'pass'
        and result.node.test_metadata is defined and result.node.test_metadata is not none
        and result.node.test_metadata.name == 'grain'
        and result.node.test_metadata.kwargs.get('written_at') -%}
        {%- set kwargs = result.node.test_metadata.kwargs -%}
        {#- the signature the test compiled: its arguments are rendered there (a ref in entered_without_write) -#}
        {%- set compiled = modules.re.search('-- grain_checks signature: (.*)', result.node.compiled_code or '') -%}
        {%- set tested = graph.nodes[result.node.attached_node] -%}
        {%- set relation = api.Relation.create(
            database=tested.database, schema=tested.schema, identifier=tested.alias) -%}
        {%- do passed.append(
            "select " ~ sql_string_literal(relation.schema) ~ " as database, "
            ~ sql_string_literal(relation.identifier) ~ " as table_name, "
            ~ sql_string_literal(compiled.group(1) if compiled else grain_signature(
                kwargs['columns'], kwargs.get('allow_default', []), kwargs['written_at'])) ~ " as grain, "
            ~ table_uuid(relation) ~ " as table_uuid, "
            ~ "(select max(" ~ kwargs['written_at'] ~ ") from " ~ relation ~ ") as checked_through, "
            ~ "now64(6, 'UTC') as recorded_at"
        ) -%}
    {%- endfor -%}
    {%- if passed -%}
        {%- set record = grain_checks_table() -%}
        {%- set cluster = adapter.get_clickhouse_cluster_name() -%}
        {%- set on_cluster = ' on cluster ' ~ cluster if cluster else '' -%}
        {%- do run_query('create database if not exists ' ~ record.schema ~ on_cluster) -%}
        {%- do run_query(
            'create table if not exists ' ~ record ~ on_cluster
            ~ ' (database String, table_name String, grain String, table_uuid UUID,'
            ~ " checked_through DateTime64(6, 'UTC'), recorded_at DateTime64(6, 'UTC'))"
            ~ ' engine = ' ~ ('ReplicatedMergeTree' if cluster else 'MergeTree()')
            ~ ' order by (database, table_name, grain)'
            ~ ' ttl toDateTime(recorded_at) + toIntervalDay(' ~ var('recompute_log_days') ~ ')'
        ) -%}
        {%- do run_query('insert into ' ~ record ~ ' ' ~ passed | join(' union all ')) -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
