{#- The staging model of the raw contract's work_item_transitions (src/devhealth/extract/raw_contract.yml), for
    every provider that loads it: each stg_<provider>__work_item_transitions is one call of this macro on its own source table. -#}
{% macro stage_work_item_transitions(provider) -%}
with

source as (

    select * from {{ source(provider, 'work_item_transitions') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'provider', 'work_item_id', 'transitioned_at', 'to_status'], raw_value_columns(provider, 'work_item_transitions')) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(provider), '{{ provider }}') as provider,
        coalesce(toString(work_item_id), '') as work_item_id,
        coalesce(toString(to_status), '') as to_status,

        -- attributes
        toString(from_status) as from_status,
        lower(toString(from_category)) as from_category,
        lower(toString(to_category)) as to_category,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(transitioned_at, 6, 'UTC') as transitioned_at

    from deduplicated

)

select * from renamed
{%- endmacro %}
