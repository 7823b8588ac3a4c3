{#- The greatest `written_at` a passing grain test of `relation` (a table) had checked, as a ClickHouse
    DateTime64 literal; none when no test passed on this table (or the record is gone: its rows expire), or when
    the record is ahead of the server's clock: a clock set back stamps new rows before it. -#}
{% macro grain_checked_through(relation, signature) -%}
    {%- set record = grain_checks_table() -%}
    {%- if not execute or adapter.get_relation(record.database, record.schema, record.identifier) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        "select count(), toString(max(checked_through)), max(checked_through) > now64(6, 'UTC') from " ~ record
        ~ " where database = " ~ sql_string_literal(relation.schema)
        ~ " and table_name = " ~ sql_string_literal(relation.identifier)
        ~ " and grain = " ~ sql_string_literal(signature)
        ~ " and table_uuid = " ~ table_uuid(relation)
    ).rows[0] -%}
    {{ return("toDateTime64('" ~ found[1] ~ "', 6, 'UTC')" if found[0] and not found[2] else none) }}
{%- endmacro %}
