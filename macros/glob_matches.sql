{#- True when `value` matches the glob `pattern` (`*` any run of characters), case-insensitively.
    LIKE's own wildcards in the pattern are escaped first so `acme/my_api` matches only itself. -#}
{% macro glob_matches(value, pattern) -%}
    lower({{ value }}) like replaceAll(replaceAll(replaceAll(lower({{ pattern }}), '%', '\\%'), '_', '\\_'), '*', '%')
{%- endmacro %}
