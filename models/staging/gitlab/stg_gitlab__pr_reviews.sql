with

source as (

    select * from {{ source('gitlab', 'pr_reviews') }}

),

deduplicated as (

    select
        org_id,
        repo_id,
        pr_number,
        review_id,
        {{ latest_by([
            'provider',
            'reviewer_login',
            'reviewer_email',
            'state',
            'submitted_at'
        ], '_dlt_load_id') }}
    from source
    group by org_id, repo_id, pr_number, review_id

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toInt64(pr_number), 0) as pr_number,
        coalesce(toString(review_id), '') as review_id,

        -- attributes
        coalesce(toString(provider), 'gitlab') as provider,
        lower(toString(state)) as state,

        -- people
        toString(reviewer_login) as reviewer_login,
        lower(toString(reviewer_email)) as reviewer_email,

        -- timestamps
        toDateTime64(submitted_at, 6, 'UTC') as submitted_at

    from deduplicated

)

select * from renamed
