{#- The staging model of the raw contract's pr_reviews (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__pr_reviews is one call of this macro on its own source table. -#}
{% macro stage_pr_reviews(provider) -%}
    {%- set renamed -%}
        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        lower(toString(state)) as state,

        -- people
        toString(reviewer_login) as reviewer_login,
        lower(toString(reviewer_email)) as reviewer_email,

        -- timestamps
        toDateTime64(submitted_at, 6, 'UTC') as submitted_at
    {%- endset -%}
    {{ staging_model(provider, 'pr_reviews', renamed, incremental=true) }}
{%- endmacro %}
