{{ config(
    order_by='(org_id, repo_id, author_email, month)',
    projections=[latest_computations_projection('month')]
) }}

with

dim_people as (

    select * from {{ ref('dim_people') }}

),

-- bots' work is not people's: the organization's bot patterns (dim_people.is_bot) leave it out
bots as (

    select
        org_id,
        person_id
    from dim_people
    where is_bot

),

commits as (

    select * from {{ ref('int_commits_enriched') }}
    where not coalesce(author_is_bot, false)

),

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}
    where (org_id, author_person_id) not in (
        select
            org_id,
            person_id
        from bots
    )

),

reviews as (

    select * from {{ ref('int_pr_reviews_resolved') }}
    where (org_id, reviewer_person_id) not in (
        select
            org_id,
            person_id
        from bots
    )

),

-- noqa: disable=PRS
{{ user_metrics_cells('month') }}
