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
