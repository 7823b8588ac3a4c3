{#- The statements that give BI tools read-only access: a settings profile with readonly = 2 (reads
    only, yet a client may still set session settings such as max_execution_time, as Grafana and
    Metabase do), a role holding SELECT on `database` and nothing else, and a user with that role
    and profile whose password is given as its SHA-256 hex digest. `on_cluster` is '' or
    ' on cluster <name>'. -#}
{% macro bi_role_statements(user, password_sha256, role, profile, database, on_cluster='') -%}
    {%- set statements = [
        'create settings profile if not exists `' ~ profile ~ '`' ~ on_cluster ~ ' settings readonly = 2',
        'create role if not exists `' ~ role ~ '`' ~ on_cluster,
        'revoke' ~ on_cluster ~ ' all on *.* from `' ~ role ~ '`',
        'grant' ~ on_cluster ~ ' select on `' ~ database ~ '`.* to `' ~ role ~ '`',
        'create user if not exists `' ~ user ~ '`' ~ on_cluster
            ~ " identified with sha256_hash by '" ~ password_sha256 ~ "'",
        'alter user `' ~ user ~ '`' ~ on_cluster ~ " identified with sha256_hash by '" ~ password_sha256
            ~ "' default role `" ~ role ~ '` settings profile `' ~ profile ~ '`',
        'grant' ~ on_cluster ~ ' `' ~ role ~ '` to `' ~ user ~ '`',
    ] -%}
    {{ return(statements) }}
{%- endmacro %}
