{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, pr_number, review_id)',
    pre_hook="{{ delete_restaged_keys(source('github', 'pr_reviews'), ['org_id', 'repo_id', 'pr_number', 'review_id'], ['org_id', 'repo_id', 'pr_number', 'review_id']) }}"
) }}

with

source as (

    select * from {{ source('github', 'pr_reviews') }}
    {{ where_key_restaged(source('github', 'pr_reviews'), ['org_id', 'repo_id', 'pr_number', 'review_id']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'pr_number', 'review_id'], [
        'provider',
        'reviewer_login',
        'reviewer_email',
        'state',
        'submitted_at'
    ]) }}

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
        coalesce(toString(provider), 'github') as provider,
        lower(toString(state)) as state,

        -- people
        toString(reviewer_login) as reviewer_login,
        lower(toString(reviewer_email)) as reviewer_email,

        -- timestamps
        toDateTime64(submitted_at, 6, 'UTC') as submitted_at

    from deduplicated

)

select * from renamed
