{#- `dbt run-operation create_org_row_policies --args '{orgs: [1, 2], bi_role: devhealth_bi}'`:
    for each organization, a read-only role `<bi_role>_org_<id>` with SELECT on every mart and one
    row policy per mart showing it only its own rows. Once a table has a row policy, ClickHouse shows
    nothing to anyone the policies do not name, so one more policy per mart lets every other user and
    role (dbt, admins, the shared `<bi_role>`) keep reading all rows; it is replaced on each run so
    that new organizations join its exception list.
    Each statement is logged with the prefix `row policy sql: `; `dry_run: true` only logs them.
    Row policies need a ClickHouse server with access control (the prod targets): chDB has none. -#}
{% macro create_org_row_policies(orgs, bi_role='devhealth_bi', dry_run=false) -%}
    {%- if not dry_run and target.type == 'chdb' -%}
        {{ exceptions.raise_compiler_error("row policies need a ClickHouse server with access control; "
            ~ "the embedded chDB warehouse has none: run with dry_run: true to see the SQL") }}
    {%- endif -%}
    {%- for statement in org_row_policy_statements(orgs, bi_role) -%}
        {%- do log('row policy sql: ' ~ statement, info=True) -%}
        {%- if not dry_run -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}


{% macro org_row_policy_statements(orgs, bi_role='devhealth_bi') -%}
    {%- set cluster = adapter.get_clickhouse_cluster_name() -%}
    {%- set on_cluster = ' on cluster ' ~ cluster if cluster else '' -%}
    {%- set roles = [] -%}
    {%- for org in orgs -%}
        {%- do roles.append(org_bi_role(org, bi_role)) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for org in orgs -%}
        {%- do statements.append('create role if not exists ' ~ roles[loop.index0] ~ on_cluster) -%}
    {%- endfor -%}
    {%- for table in org_mart_tables() -%}
        {%- set short_name = table.split('.')[-1] -%}
        {%- for org in orgs -%}
            {%- set role = roles[loop.index0] -%}
            {%- do statements.append('grant' ~ on_cluster ~ ' select on ' ~ table ~ ' to ' ~ role) -%}
            {%- do statements.append('create row policy if not exists org_' ~ checked_org_id(org) ~ '_' ~ short_name
                ~ on_cluster ~ ' on ' ~ table ~ ' for select using ' ~ org_row_filter(org) ~ ' to ' ~ role) -%}
        {%- endfor -%}
        {%- set others = ' to all except ' ~ roles | join(', ') if roles else ' to all' -%}
        {%- do statements.append('create row policy or replace all_orgs_' ~ short_name ~ on_cluster ~ ' on '
            ~ table ~ ' for select using 1' ~ others) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}
