{#- The raw contract per raw table: `<dataset>___<entity>` -> [(name, ClickHouse type, is key)], each
    column in the tables of the datasets it is declared for (raw_contract, from src/devhealth/extract/raw_contract.yml). -#}
{% macro raw_contract_tables() -%}
    {%- set tables = {} -%}
    {%- for entity, declared in raw_contract().items() -%}
        {%- for dataset in declared['datasets'] -%}
            {%- set columns = [] -%}
            {%- for name, data_type, is_key, datasets in declared['columns']
                if datasets is none or dataset in datasets -%}
                {%- do columns.append((name, data_type, is_key)) -%}
            {%- endfor -%}
            {%- do tables.update({dataset ~ '___' ~ entity: columns}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}
