{#- keyed (recompute_keys): a refresh recomputes the reviews of the pull requests pr_review_keys_to_recompute
    names, not every review. Ordered by the UTC day of the review first, as int_commits_enriched: the activity
    marts read the reviews of the days whose cells changed through the primary key (1.3M reviews, one day:
    0.054 -> 0.004 s; by pull request, as the keyed delete reads, 0.027 -> 0.043 s) -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by="(org_id, toDate(submitted_at, 'UTC'), repo_id, pr_number, review_id)",
    deleted_days="[toDate(submitted_at, 'UTC')]",
    pre_hook=[
        "{{ recompute_keys(pr_review_keys_to_recompute(), ['org_id', 'repo_id', 'pr_number']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

-- depends_on: {{ ref('int_pull_requests_lifecycle') }}

with

pr_reviews as (

    select * from {{ ref('int_pr_reviews_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'pr_number']) }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'pr_number']) }}

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
        {{ reviewer_primary_email() }} as reviewer_primary_email,
        lower(pr_reviews.reviewer_login) as reviewer_login,
        pr_reviews.reviewer_email as reviewer_email
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
-- review as reviews of their own): the same login, or the same person under another login or email. Flagged,
-- not left out: an identity change can make it a review of someone else's work, which the keys macro sees in
-- the stored reviewer (pr_review_keys_to_recompute)
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
        resolved.reviewer_primary_email as reviewer_primary_email,
        (resolved.reviewer_login != '' and resolved.reviewer_login = pr_authors.author_login)
        or (resolved.reviewer_person_id != '' and resolved.reviewer_person_id = pr_authors.author_person_id)
            as is_self_review,
        resolved.reviewer_login as reviewer_login,
        resolved.reviewer_email as reviewer_email,
        {{ built_at() }}
    from resolved
    left join pr_authors using (org_id, repo_id, pr_number)

)

select * from final
