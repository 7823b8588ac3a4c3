{#- A scalar subquery: the uuid of table `relation` in system.tables, which a table created anew changes. -#}
{% macro table_uuid(relation) -%}
    (select any(uuid) from system.tables where database = {{ sql_string_literal(relation.schema) }}
        and name = {{ sql_string_literal(relation.identifier) }})
{%- endmacro %}
