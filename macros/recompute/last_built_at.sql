{#- When a keyed intermediate last chose its keys, as a literal (rows its upstream staged or built after it are
    new to it): the pre-hook's delete is a mutation of this table, and a mutation reading its own table waits
    on itself. -#}
{% macro last_built_at() -%}
    {%- set found = run_query('select toString(max(_built_at)) from ' ~ this).rows if execute and is_incremental()
        and not recomputes_everything() else [] -%}
    toDateTime64('{{ found[0][0] if found else "1970-01-01 00:00:00" }}', 6, 'UTC')
{%- endmacro %}
