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
