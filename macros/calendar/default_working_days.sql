{% macro default_working_days() -%}
    [toUInt8(1), 2, 3, 4, 5]
{%- endmacro %}
