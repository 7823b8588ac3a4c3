{#- The staging model of the raw contract's releases (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__releases is one call of this macro on its own source table. -#}
{% macro stage_releases(provider) -%}
with

source as (

    select * from {{ source(provider, 'releases') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'release_id'], raw_value_columns(provider, 'releases')) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(release_id), '') as release_id,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(tag_name) as tag_name,

        -- timestamps
        toDateTime64(published_at, 6, 'UTC') as published_at

    from deduplicated

)

select * from renamed
{%- endmacro %}
