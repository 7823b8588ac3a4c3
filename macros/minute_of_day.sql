{#- The minute of the day an `HH:MM` text names (`08:30` is 510), NULL for NULL or any other text. -#}
{% macro minute_of_day(text) -%}
    if(
        match(coalesce({{ text }}, ''), '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        toUInt16(substring({{ text }}, 1, 2)) * 60 + toUInt16(substring({{ text }}, 4, 2)),
        null
    )
{%- endmacro %}
