{#- The staging model of the raw contract's work_item_transitions (src/devhealth/extract/raw_contract.yml), for
    every provider that loads it: each stg_<provider>__work_item_transitions is one call of this macro on its own source table. -#}
{% macro stage_work_item_transitions(provider) -%}
    {%- set renamed -%}
        -- attributes
        toString(from_status) as from_status,
        lower(toString(from_category)) as from_category,
        lower(toString(to_category)) as to_category,

        -- people
        lower(toString(author_email)) as author_email,

        -- timestamps
        toDateTime64(transitioned_at, 6, 'UTC') as transitioned_at
    {%- endset -%}
    {{ staging_model(provider, 'work_item_transitions', renamed) }}
{%- endmacro %}
