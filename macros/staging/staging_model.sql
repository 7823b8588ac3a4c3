{#- The staging model of raw table `<dataset>___<entity>` as the raw contract (src/devhealth/extract/raw_contract.yml)
    declares it: the latest version of each natural key (latest_by carries every other column), less the keys
    whose latest row is a tombstone (`is_removed`). The select list leads with the keys that are ids, never NULL
    (a provider key defaults to the dataset), and `_dlt_load_id` when incremental; `renamed` lists the rest. An
    `incremental` model is a table restaged by key (where_key_restaged), ordered by its staged keys: the raw keys,
    renamed as `renamed_keys` maps them. -#}
{% macro staging_model(dataset, entity, renamed, incremental=false, renamed_keys={}) -%}
    {%- set keys, values, staged_keys, ids = [], [], [], [] -%}
    {%- for name, data_type, is_key in raw_contract_tables()[dataset ~ '___' ~ entity] -%}
        {%- set staged = renamed_keys.get(name, name) -%}
        {%- if is_key -%}
            {%- do keys.append(name) -%}
            {%- do staged_keys.append(staged) -%}
        {%- else -%}
            {%- do values.append(name) -%}
        {%- endif -%}
        {#- a key that is an id leads the select list; a time key stays with the timestamps -#}
        {%- if is_key and data_type == 'Int64' -%}
            {%- do ids.append('coalesce(toInt64(' ~ name ~ '), 0) as ' ~ staged) -%}
        {%- elif is_key and data_type == 'String' -%}
            {%- do ids.append("coalesce(toString(" ~ name ~ "), '" ~ (dataset if name == 'provider' else '') ~ "') as "
                ~ staged) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if incremental -%}
        {%- do ids.append('latest_load_id as _dlt_load_id') -%}
        {#- when this build staged the row: the keyed intermediates recompute the keys staged since their own
            last build (recompute_keys), one clock for every provider, where load ids are each dataset's -#}
        {%- do ids.append("now64(6, 'UTC') as _staged_at") -%}
    {%- endif -%}
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
        -- ids
        {{ ids | join(',\n        ') }},
        {{ renamed }}

    from deduplicated
    {%- if 'is_removed' in values %}
    -- a force push drops commits from the branch; their latest row is a tombstone
    where not coalesce(is_removed, false)
    {%- endif %}

)

select * from renamed
{%- endmacro %}
