{#- What a grain test checks, as a grain_checks row names it: the key columns, those whose default is allowed, the
    write stamp column and, for a view, the condition naming rows that may enter it without a write. A test that
    changes any of them starts over from a check of the whole table. -#}
{% macro grain_signature(columns, allow_default, written_at, entered_without_write=none) -%}
    {{- return(columns | join(', ') ~ ' | default allowed: ' ~ (allow_default | join(', ')) ~ ' | ' ~ written_at
        ~ (' | entered without write: ' ~ entered_without_write | replace('\n', ' ')
            if entered_without_write else '')) -}}
{%- endmacro %}
