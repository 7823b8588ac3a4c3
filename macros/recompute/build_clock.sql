{#- The server's time now, as a literal: a keyed intermediate's run takes the rows staged up to it, and its
    pre-hook's two statements (recompute_keys) then see the same keys whatever is staged meanwhile. -#}
{% macro build_clock() -%}
    {%- set now = run_query("select toString(now64(6, 'UTC'))").rows[0][0] if execute else '1970-01-01 00:00:00' -%}
    toDateTime64('{{ now }}', 6, 'UTC')
{%- endmacro %}
