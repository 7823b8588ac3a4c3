{#- The staging model of raw table `<dataset>___<entity>` as the raw contract (src/devhealth/extract/raw_contract.yml)
    declares it: the latest version of each natural key (latest_by carries every other column), less the keys
    whose latest row is a tombstone (`is_removed`), selected from `deduplicated` with the select list `renamed`.
    An `incremental` model is a table restaged by key (where_key_restaged), ordered by its staged keys: the raw
    keys, renamed as `renamed_keys` maps them. -#}
{% macro staging_model(dataset, entity, renamed, incremental=false, renamed_keys={}) -%}
    {%- set keys, values, staged_keys = [], [], [] -%}
    {%- for name, data_type, is_key in raw_contract_tables()[dataset ~ '___' ~ entity] -%}
        {%- do (keys if is_key else values).append(name) -%}
    {%- endfor -%}
    {%- for key in keys -%}
        {%- do staged_keys.append(renamed_keys.get(key, key)) -%}
    {%- endfor -%}
    {%- if incremental -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(' ~ staged_keys | join(', ') ~ ')',
    pre_hook="{{ delete_restaged_keys(source('" ~ dataset ~ "', '" ~ entity ~ "'), " ~ keys ~ ", " ~ staged_keys ~ ") }}"
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
        {{ renamed }}

    from deduplicated
    {%- if 'is_removed' in values %}
    -- a force push drops commits from the branch; their latest row is a tombstone
    where not coalesce(is_removed, false)
    {%- endif %}

)

select * from renamed
{%- endmacro %}
