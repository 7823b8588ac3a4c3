{#- The columns of raw table `<dataset>___<entity>` outside its natural key, in the contract's order:
    what staging's latest_by carries from the latest version of each key. -#}
{% macro raw_value_columns(dataset, entity) -%}
    {%- set names = [] -%}
    {%- for name, data_type, is_key in raw_contract_tables()[dataset ~ '___' ~ entity] if not is_key -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
