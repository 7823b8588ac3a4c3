{#- The staging model of the raw contract's releases (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__releases is one call of this macro on its own source table. -#}
{% macro stage_releases(provider) -%}
    {%- set renamed -%}
        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(tag_name) as tag_name,

        -- timestamps
        toDateTime64(published_at, 6, 'UTC') as published_at
    {%- endset -%}
    {{ staging_model(provider, 'releases', renamed) }}
{%- endmacro %}
