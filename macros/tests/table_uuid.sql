{#- A scalar subquery: the uuid of table `relation` in system.tables, which a table created anew changes. A view is
    created anew on every build (dbt-clickhouse's `create or replace view`) and reads what its definition and its
    tables hold, so it is known by its definition instead: a 128-bit hash of its CREATE statement (the columns it
    was created with included), as a uuid. A view whose SQL, or whose tables' columns, changed is then new. -#}
{% macro table_uuid(relation) -%}
    (select any(if(engine = 'View', reinterpretAsUUID(sipHash128(create_table_query)), uuid)) from system.tables
        where database = {{ sql_string_literal(relation.schema) }}
        and name = {{ sql_string_literal(relation.identifier) }})
{%- endmacro %}
