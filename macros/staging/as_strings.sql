{% macro as_strings(columns) -%}
    {%- for column in columns -%}toString({{ column }}){{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}
