{#- The condition a row of a mart must meet to be visible to organization `org_id`: the USING
    clause of its row policies, and the WHERE that checks them on an engine without access control. -#}
{% macro org_row_filter(org_id) -%}
    org_id = '{{ checked_org_id(org_id) }}'
{%- endmacro %}
