with

pr_reviews as (

    select * from {{ ref('int_pr_reviews_unioned') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_unioned') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

{{ identity_lookups() }},

resolved as (

    select
        pr_reviews.org_id as org_id,
        pr_reviews.repo_id as repo_id,
        pr_reviews.pr_number as pr_number,
        pr_reviews.review_id as review_id,
        pr_reviews.provider as provider,
        pr_reviews.state as review_state,
        assumeNotNull(pr_reviews.submitted_at) as submitted_at,
        {{ identity_attribute('person_id') }} as reviewer_person_id,
        coalesce(nullif(logins.primary_email, ''), nullif(emails.primary_email, ''), nullif(logins.person_id, ''), '')
            as reviewer_primary_email,
        lower(pr_reviews.reviewer_login) as reviewer_login
    from pr_reviews
    {{ join_identities('pr_reviews', 'reviewer_login', 'reviewer_email') }}
    where pr_reviews.submitted_at is not null and {{ is_plausible_time('pr_reviews.submitted_at') }}

),

-- the pull request's author as a person, by login first, as reviewers are
pr_authors as (

    select
        pull_requests.org_id as org_id,
        pull_requests.repo_id as repo_id,
        pull_requests.pr_number as pr_number,
        lower(pull_requests.author_login) as author_login,
        {{ identity_attribute('person_id') }} as author_person_id
    from pull_requests
    {{ join_identities('pull_requests', 'author_login', 'author_email') }}

),

-- a review by the pull request's own author is not a review given (GitHub records the author's replies to a
-- review as reviews of their own): the same login, or the same person under another login or email
final as (

    select
        resolved.org_id as org_id,
        resolved.repo_id as repo_id,
        resolved.pr_number as pr_number,
        resolved.review_id as review_id,
        resolved.provider as provider,
        resolved.review_state as review_state,
        resolved.submitted_at as submitted_at,
        resolved.reviewer_person_id as reviewer_person_id,
        resolved.reviewer_primary_email as reviewer_primary_email
    from resolved
    left join pr_authors using (org_id, repo_id, pr_number)
    where
        not (resolved.reviewer_login != '' and resolved.reviewer_login = pr_authors.author_login)
        and not (resolved.reviewer_person_id != '' and resolved.reviewer_person_id = pr_authors.author_person_id)

)

select * from final
