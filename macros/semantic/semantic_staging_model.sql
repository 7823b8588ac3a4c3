{#- The staging model of one table the semantic layer exports (source `semantic`): the latest version of each
    natural key (`keys`, with `values` from its latest row, latest_by), then `renamed`, the select list that casts
    and names the columns. -#}
{% macro semantic_staging_model(table, keys, values, renamed) -%}
with

source as (

    select * from {{ source('semantic', table) }}

),

deduplicated as (

    {{ latest_by('source', keys, values) }}

),

renamed as (

    select
        {{ renamed }}

    from deduplicated

)

select * from renamed
{%- endmacro %}
