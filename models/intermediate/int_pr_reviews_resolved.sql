with

pr_reviews as (

    select * from {{ ref('int_pr_reviews_unioned') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

logins as (

    select
        org_id,
        provider,
        identity as login,
        person_id,
        primary_email
    from identities
    where identity_type = 'login'

),

emails as (

    select
        org_id,
        identity as email,
        person_id,
        primary_email
    from identities
    where identity_type = 'email'

),

final as (

    select
        pr_reviews.org_id as org_id,
        pr_reviews.repo_id as repo_id,
        pr_reviews.pr_number as pr_number,
        pr_reviews.review_id as review_id,
        pr_reviews.provider as provider,
        pr_reviews.state as review_state,
        assumeNotNull(pr_reviews.submitted_at) as submitted_at,
        coalesce(nullif(logins.person_id, ''), nullif(emails.person_id, ''), '') as reviewer_person_id,
        coalesce(nullif(logins.primary_email, ''), nullif(emails.primary_email, ''), nullif(logins.person_id, ''), '')
            as reviewer_primary_email
    from pr_reviews
    left join logins
        on
            pr_reviews.org_id = logins.org_id
            and pr_reviews.provider = logins.provider
            and lower(pr_reviews.reviewer_login) = logins.login
    left join emails
        on
            pr_reviews.org_id = emails.org_id
            and pr_reviews.reviewer_email = emails.email
    where pr_reviews.submitted_at is not null and {{ is_plausible_time('pr_reviews.submitted_at') }}

)

select * from final
