{#- The first two CTEs of a staging model: `source`, raw table `<dataset>___<entity>` (on an incremental
    run only the keys of loads to restage, where_key_restaged), and `deduplicated`, the latest version of
    each natural key with every other contract column (latest_by). Keys and columns are the contract's. -#}
{% macro latest_raw_rows(dataset, entity) -%}
    {%- set keys = raw_columns(dataset, entity, key=true) -%}
source as (

    select * from {{ source(dataset, entity) }}
    {{ where_key_restaged(source(dataset, entity), keys) }}

),

deduplicated as (

    {{ latest_by('source', keys, raw_columns(dataset, entity)) }}

),
{%- endmacro %}
