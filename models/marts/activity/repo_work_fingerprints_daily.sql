{#- Bookkeeping shared by repo_metrics_daily_versions and repo_metrics_monthly_versions: each reads its cells'
    fingerprints here instead of hashing every commit and pull request itself. A month's fingerprint is the sum of
    its days'. Keyed by day (recompute_keys): a build recomputes the days whose rows its keyed inputs wrote or
    deleted since (a late, updated or deleted row, a commit's new author), not every day of the history
    (work_day_keys_to_recompute). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, day)',
    pre_hook=[
        "{{ recompute_keys(work_day_keys_to_recompute([
            ('int_commits_enriched', none),
            ('int_pull_requests_lifecycle', none),
        ]), ['org_id', 'day']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

with

commits as (

    select * from {{ ref('int_commits_enriched') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}

),

-- every row a repository's figures read, hashed: git's counting contract leaves merge commits out (as
-- `git log --numstat --no-merges` does); the author counts for the month's distinct authors
work_rows as (

    select
        org_id,
        toDate(authored_at, 'UTC') as day,
        cityHash64(tuple(
            repo_id, commit_sha, author_person_id, authored_at, lines_added, lines_deleted, lines_touched, files_changed
        )) as row_hash
    from commits
    where not is_merge
    union all
    {{ pull_request_event_inputs(['opened', 'merged', 'first_review'], 'day') }}

)

select
    org_id,
    day,
    -- UInt64, wrapping: order-free, and a duplicate row changes it
    sum(row_hash) as fingerprint,
    {{ built_at() }}
from work_rows
{{- where_recomputed(['org_id', 'day']) }}
group by org_id, day
