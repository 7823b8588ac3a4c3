{#- `dbt run-operation create_bi_role --target prod` (or prod_cluster): a read-only role and user for
    Grafana and BI tools, SELECT on the marts database only (bi_role_statements).
    The user is DEVHEALTH_BI_USER (default devhealth_bi); its password comes as the SHA-256 hex digest
    in DEVHEALTH_BI_PASSWORD_SHA256, because dbt writes every statement it runs to logs/dbt.log and a
    plain password would land there. `--args '{dry_run: true}'` prints the statements with the digest
    masked and runs nothing, on any target. -#}
{% macro create_bi_role(dry_run=false, role='devhealth_bi_reader', profile='devhealth_bi_readonly') -%}
    {%- set user = env_var('DEVHEALTH_BI_USER', 'devhealth_bi') -%}
    {%- set digest = env_var('DEVHEALTH_BI_PASSWORD_SHA256', '') | trim | lower -%}
    {%- if not modules.re.fullmatch('[0-9a-f]{64}', digest) and not dry_run -%}
        {%- do exceptions.raise_compiler_error(
            'create_bi_role: DEVHEALTH_BI_PASSWORD_SHA256 must be the 64-character SHA-256 hex digest of the '
            ~ 'BI password (printf %s "$PASSWORD" | sha256sum)') -%}
    {%- endif -%}
    {%- if not dry_run and target.type != 'clickhouse' -%}
        {%- do exceptions.raise_compiler_error(
            'create_bi_role: target ' ~ target.name ~ ' (' ~ target.type ~ ') has no user management; '
            ~ 'run it with --target prod or prod_cluster, or with --args "{dry_run: true}"') -%}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', user) -%}
        {%- do exceptions.raise_compiler_error(
            'create_bi_role: DEVHEALTH_BI_USER ' ~ user ~ ' is not a plain identifier (letters, digits, _)') -%}
    {%- endif -%}
    {%- set on_cluster = ' on cluster `' ~ target.cluster ~ '`' if target.get('cluster') else '' -%}
    {%- set database = generate_schema_name('marts', none) -%}
    {%- for statement in bi_role_statements(user, digest, role, profile, database, on_cluster) -%}
        {%- if dry_run -%}
            {%- do print('create_bi_role | ' ~ statement.replace(digest, '*****') if digest
                         else 'create_bi_role | ' ~ statement) -%}
        {%- else -%}
            {%- do log('create_bi_role | ' ~ statement.replace(digest, '*****'), info=True) -%}
            {%- do run_query(statement) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
