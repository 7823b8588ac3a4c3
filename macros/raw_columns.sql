{#- The columns of raw table `<dataset>___<entity>` in the contract's order: its natural key's with
    `key=true`, else the others, what staging's latest_by carries from the latest version of each key. -#}
{% macro raw_columns(dataset, entity, key=false) -%}
    {%- set names = [] -%}
    {%- for name, data_type, is_key in raw_contract_tables()[dataset ~ '___' ~ entity] if is_key == key -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
