{#- Bookkeeping shared by the people activity marts (user_metrics_daily_versions, user_metrics_monthly_versions,
    developer_activity_monthly_versions): each reads its cells' fingerprints here instead of hashing every row of
    people's work itself, so the history is hashed once per build, not once per mart. A month's fingerprint is the
    sum of its days'. A table rebuilt whole on every build, as the marts' own pass was: a late, updated or
    deleted row, an identity merge or a bot pattern changes its day's sum. -#}
{{ config(order_by='(org_id, day)') }}

with

{{ people_work_imports(with_emails=false) }},

-- every row of people's work, hashed with the person and email it is reported under: an identity merge changes
-- the sum of every day of the people concerned
work_rows as (

    select
        org_id,
        toDate(authored_at, 'UTC') as day,
        cityHash64(tuple(
            repo_id, commit_sha, author_person_id, author_primary_email, authored_at,
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
    sum(row_hash) as fingerprint
from work_rows
group by org_id, day
