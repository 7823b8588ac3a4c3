{#- The staging model of raw table `<dataset>___<entity>` as the raw contract (src/devhealth/extract/raw_contract.yml)
    declares it, the whole of each stg_<dataset>__<entity> model: the latest version of each natural key (latest_by
    carries every other column), less the keys whose latest row is a tombstone (`is_removed`), selected as
    staged_columns lists them, under a banner per kind. An `incremental` entity is a table restaged by key
    (where_key_restaged), ordered by its staged keys; a restaging selects its columns in the table's order
    (in_table_order). -#}
{% macro staging_model(dataset, entity) -%}
    {%- set declared = raw_contract()[entity] -%}
    {%- set incremental = declared['incremental'] -%}
    {%- set keys, values, staged_keys = [], [], [] -%}
    {%- for name, data_type, is_key in raw_contract_tables()[dataset ~ '___' ~ entity] -%}
        {%- if is_key -%}
            {%- do keys.append(name) -%}
            {%- do staged_keys.append(declared['staged'].get(name, {}).get('staged_name', name)) -%}
        {%- else -%}
            {%- do values.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set listed, names, staged_by_name = [], [], {} -%}
    {%- for section, columns in staged_columns(dataset, entity).items() if columns -%}
        {%- set expressions = [] -%}
        {%- for expression, name in columns -%}
            {%- do expressions.append(expression ~ ' as ' ~ name) -%}
            {%- do names.append(name) -%}
            {%- do staged_by_name.update({name: expression}) -%}
        {%- endfor -%}
        {%- do listed.append('-- ' ~ section ~ '\n        ' ~ expressions | join(',\n        ')) -%}
    {%- endfor -%}
    {#- each staged key as staging computes it from the raw columns: what the pre-hook's delete matches -#}
    {%- set staged_key_expressions = [] -%}
    {%- for name in staged_keys -%}
        {%- do staged_key_expressions.append(staged_by_name[name]) -%}
    {%- endfor -%}
    {%- if incremental -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(' ~ staged_keys | join(', ') ~ ')',
    pre_hook="{{ delete_restaged_keys(source('" ~ dataset ~ "', '" ~ entity ~ "'), "
        ~ staged_key_expressions ~ ", " ~ staged_keys ~ ") }}"
) }}

    {% endif -%}
with

source as (

    select * from {{ source(dataset, entity) }}
    {%- if incremental %}
        {{ where_key_restaged(source(dataset, entity), keys) }}
    {%- endif %}

),

deduplicated as (

    {{ latest_by('source', keys, values) }}

),

renamed as (

    select
        {{ listed | join(',\n\n        ') }}

    from deduplicated
    {%- if 'is_removed' in values %}
    -- a force push drops commits from the branch; their latest row is a tombstone
    where not coalesce(is_removed, false)
    {%- endif %}

)

select {{ in_table_order(names) | join(', ') if incremental and execute and is_incremental() else '*' }} from renamed
{%- endmacro %}
