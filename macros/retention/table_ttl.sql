{#- A table's TTL expression as the server normalised it ('' without one), none when the table does not exist.
    `engine_full` ends `... TTL <expression> [SETTINGS ...]`. -#}
{% macro table_ttl(database, table) -%}
    {%- set found = run_query(
        "select extract(engine_full, ' TTL (.*?)(?: SETTINGS |$)') from system.tables"
        ~ " where database = '" ~ database ~ "' and name = '" ~ table ~ "'") -%}
    {{ return(found.rows[0][0] if found.rows else none) }}
{%- endmacro %}
