{#- The staging model of the raw contract's pr_reviews (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__pr_reviews is one call of this macro on its own source table. -#}
{% macro stage_pr_reviews(provider) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, pr_number, review_id)',
    pre_hook="{{ delete_restaged_keys(source('" ~ provider ~ "', 'pr_reviews'), ['org_id', 'repo_id', 'pr_number', 'review_id'], ['org_id', 'repo_id', 'pr_number', 'review_id']) }}"
) }}

with

source as (

    select * from {{ source(provider, 'pr_reviews') }}
    {{ where_key_restaged(source(provider, 'pr_reviews'), ['org_id', 'repo_id', 'pr_number', 'review_id']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'pr_number', 'review_id'], raw_value_columns(provider, 'pr_reviews')) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toInt64(pr_number), 0) as pr_number,
        coalesce(toString(review_id), '') as review_id,
        latest_load_id as _dlt_load_id,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        lower(toString(state)) as state,

        -- people
        toString(reviewer_login) as reviewer_login,
        lower(toString(reviewer_email)) as reviewer_email,

        -- timestamps
        toDateTime64(submitted_at, 6, 'UTC') as submitted_at

    from deduplicated

)

select * from renamed
{%- endmacro %}
