{#- What a grain test checks, as a grain_checks row names it: the key columns, those whose default is allowed,
    and the write stamp column. A test that changes any of them starts over from a check of the whole table. -#}
{% macro grain_signature(columns, allow_default, written_at) -%}
    {{- return(columns | join(', ') ~ ' | default allowed: ' ~ (allow_default | join(', ')) ~ ' | ' ~ written_at) -}}
{%- endmacro %}
