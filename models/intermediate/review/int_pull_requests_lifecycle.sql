{#- keyed (recompute_keys): a refresh recomputes the pull requests pull_request_keys_to_recompute names.
    Ordered by the UTC day the pull request opened first, as int_commits_enriched: the activity marts read the
    pull requests opened on the days whose cells changed through the primary key (600K pull requests, one day:
    0.027 -> 0.004 s; by pull request, as the keyed delete reads, unchanged) -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by="(org_id, toDate(opened_at, 'UTC'), repo_id, pr_number)",
    deleted_days="arrayConcat([toDate(opened_at, 'UTC')], "
        ~ "if(merged_at is null, [], [toDate(assumeNotNull(merged_at), 'UTC')]), "
        ~ "if(first_review_at is null, [], [toDate(assumeNotNull(first_review_at), 'UTC')]))",
    pre_hook=[
        "{{ recompute_keys(pull_request_keys_to_recompute(), ['org_id', 'repo_id', 'pr_number']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

with

pull_requests as (

    select * from {{ ref('int_pull_requests_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'pr_number']) }}

),

pr_reviews as (

    select * from {{ ref('int_pr_reviews_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'pr_number']) }}

),

pr_commits as (

    select * from {{ ref('int_pr_commits_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'pr_number']) }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

first_commits as (

    select
        org_id,
        repo_id,
        pr_number,
        minOrNull(authored_at) as first_commit_authored_at
    from pr_commits
    group by org_id, repo_id, pr_number

),

-- a review by the pull request's own author is not a review
reviews as (

    select
        pr_reviews.org_id as org_id,
        pr_reviews.repo_id as repo_id,
        pr_reviews.pr_number as pr_number,
        pr_reviews.state as review_state,
        pr_reviews.submitted_at as submitted_at
    from pr_reviews
    inner join pull_requests using (org_id, repo_id, pr_number)
    where
        pr_reviews.submitted_at is not null
        and not (
            pr_reviews.reviewer_login != '' and lower(pr_reviews.reviewer_login) = lower(pull_requests.author_login)
        )

),

review_times as (

    select
        org_id,
        repo_id,
        pr_number,
        minOrNull(submitted_at) as first_review_submitted_at,
        minIfOrNull(submitted_at, review_state = 'approved') as first_approval_submitted_at,
        count() as reviews_received
    from reviews
    group by org_id, repo_id, pr_number

),

{{ identity_lookups() }},

final as (

    select
        pull_requests.org_id as org_id,
        pull_requests.repo_id as repo_id,
        pull_requests.pr_number as pr_number,
        pull_requests.provider as provider,
        pull_requests.repo_name as repo_name,
        pull_requests.state as state,
        {{ identity_attribute('person_id') }} as author_person_id,
        {{ identity_attribute('primary_email') }} as author_primary_email,
        -- what the author was resolved from: a build recomputes the rows whose resolution changed since
        pull_requests.author_login as author_login,
        pull_requests.author_email as author_email,
        pull_requests.head_sha as head_sha,
        pull_requests.merge_commit_sha as merge_commit_sha,
        first_commits.first_commit_authored_at as first_commit_at,
        assumeNotNull(pull_requests.created_at) as opened_at,
        review_times.first_review_submitted_at as first_review_at,
        review_times.first_approval_submitted_at as approved_at,
        pull_requests.merged_at as merged_at,
        pull_requests.closed_at as closed_at,
        toUInt64(coalesce(review_times.reviews_received, 0)) as reviews_received,
        pull_requests.additions as additions,
        pull_requests.deletions as deletions,
        pull_requests.changed_files as changed_files,
        {{ built_at() }}
    from pull_requests
    left join first_commits using (org_id, repo_id, pr_number)
    left join review_times using (org_id, repo_id, pr_number)
    {{ join_identities('pull_requests', 'author_login', 'author_email') }}
    where
        pull_requests.created_at is not null
        and {{ is_plausible_time('pull_requests.created_at') }}
        and {{ is_plausible_time('pull_requests.merged_at') }}

)

select * from final
