{#- Bookkeeping shared by the people activity marts (user_metrics_daily_versions, user_metrics_monthly_versions,
    developer_activity_monthly_versions) and team_metrics_daily_versions: each reads its cells' fingerprints here
    instead of hashing every row of people's work itself. A month's fingerprint is the sum of its days'. Keyed
    by day (recompute_keys): a build recomputes the days whose rows its keyed inputs wrote or deleted since (a
    late, updated or deleted row, an identity merge), and the days of the work of people whose identity
    resolution changed (a bot pattern), not every day of the history (work_day_keys_to_recompute). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, day)',
    pre_hook=[
        "{{ recompute_keys(work_day_keys_to_recompute([
            ('int_commits_enriched', 'author_person_id'),
            ('int_pull_requests_lifecycle', 'author_person_id'),
            ('int_pr_reviews_resolved', 'reviewer_person_id'),
        ]), ['org_id', 'day']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

-- depends_on: {{ ref('int_identities_resolved') }}

with

{{ people_work_imports(with_emails=false) }},

-- every row of people's work, hashed with the person and email it is reported under: an identity merge changes
-- the sum of every day of the people concerned. A commit's UTC offset too: the team marts read its local time
-- (after hours, weekends) and their cells' fingerprints from here
work_rows as (

    select
        org_id,
        toDate(authored_at, 'UTC') as day,
        cityHash64(tuple(
            repo_id, commit_sha, author_person_id, author_primary_email, authored_at, author_tz_offset_minutes,
            lines_added, lines_deleted, lines_touched, files_changed
        )) as row_hash
    from commits
    where not is_merge and author_person_id != ''
    union all
    {{ pull_request_event_inputs(
        ['opened', 'merged', 'first_review'], 'day', ['author_person_id', 'author_primary_email'],
        "author_person_id != ''"
    ) }}
    union all
    select
        org_id,
        toDate(submitted_at, 'UTC') as day,
        cityHash64(tuple(
            'review', repo_id, pr_number, review_id, reviewer_person_id, reviewer_primary_email, submitted_at
        ))
            as row_hash
    from reviews
    where reviewer_person_id != ''

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
