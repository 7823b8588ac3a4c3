{#- The raw keys of rows in the loads `load_ids`, as `key_list` selects them from the source. -#}
{% macro restaged_raw_keys(source_relation, key_list, load_ids) -%}
    {%- set quoted = [] -%}
    {%- for load_id in load_ids -%}
        {%- do quoted.append(sql_string_literal(load_id)) -%}
    {%- endfor -%}
    select {{ key_list }}
    from {{ source_relation }}
    where {{ '_dlt_load_id in (' ~ quoted | join(', ') ~ ')' if quoted else 'false' }}
{%- endmacro %}
