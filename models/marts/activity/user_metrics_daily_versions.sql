{{ config(
    order_by='(org_id, repo_id, author_email, day)',
    projections=[latest_computations_projection('day')]
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

-- every input row a day's figures read, hashed with the person and email it is reported under: a day is
-- recomputed when its fingerprint changes, so an identity merge recomputes every day of the people concerned
cell_inputs as (

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
    select
        org_id,
        toDate(opened_at, 'UTC') as day,
        cityHash64(tuple('opened', repo_id, pr_number, author_person_id, author_primary_email, opened_at)) as row_hash
    from pull_requests
    where author_person_id != ''
    union all
    select
        org_id,
        toDate(assumeNotNull(merged_at), 'UTC') as day,
        cityHash64(tuple(
            'merged', repo_id, pr_number, author_person_id, author_primary_email, opened_at, merged_at
        ))
            as row_hash
    from pull_requests
    where merged_at is not null and author_person_id != ''
    union all
    select
        org_id,
        toDate(assumeNotNull(first_review_at), 'UTC') as day,
        cityHash64(tuple(
            'first_review', repo_id, pr_number, author_person_id, author_primary_email, opened_at, first_review_at
        )) as row_hash
    from pull_requests
    where first_review_at is not null and author_person_id != ''
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

),

changed_cells as (

    {{ changed_cells('cell_inputs', salt=var('large_commit_lines')) }}

),

commit_days as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toDate(authored_at, 'UTC') as day,
        count() as day_commits,
        sum(lines_added) as day_lines_added,
        sum(lines_deleted) as day_lines_deleted,
        sum(lines_touched) as day_lines_touched,
        sum(files_changed) as day_files_changed,
        countIf(lines_touched > {{ var('large_commit_lines') }}) as day_large_commits
    from commits
    where not is_merge and author_person_id != '' and {{ in_changed_cells("toDate(authored_at, 'UTC')") }}
    group by org_id, repo_id, person_id, day

),

authored_days as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toDate(opened_at, 'UTC') as day,
        count() as day_prs_authored
    from pull_requests
    where author_person_id != '' and {{ in_changed_cells("toDate(opened_at, 'UTC')") }}
    group by org_id, repo_id, person_id, day

),

merged_days as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toDate(assumeNotNull(merged_at), 'UTC') as day,
        count() as day_prs_merged,
        {{ exact_quantile(0.5, hours_between('opened_at', 'merged_at')) }} as day_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('opened_at', 'merged_at')) }} as day_cycle_p90_hours
    from pull_requests
    where
        merged_at is not null and author_person_id != ''
        and {{ in_changed_cells("toDate(assumeNotNull(merged_at), 'UTC')") }}
    group by org_id, repo_id, person_id, day

),

first_review_days as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toDate(assumeNotNull(first_review_at), 'UTC') as day,
        {{ exact_quantile(0.5, hours_between('opened_at', 'first_review_at')) }}
            as day_first_review_p50_hours
    from pull_requests
    where
        first_review_at is not null and author_person_id != ''
        and {{ in_changed_cells("toDate(assumeNotNull(first_review_at), 'UTC')") }}
    group by org_id, repo_id, person_id, day

),

review_days as (

    select
        org_id,
        repo_id,
        reviewer_person_id as person_id,
        toDate(submitted_at, 'UTC') as day,
        count() as day_reviews_given
    from reviews
    where reviewer_person_id != '' and {{ in_changed_cells("toDate(submitted_at, 'UTC')") }}
    group by org_id, repo_id, person_id, day

),

-- the email a person is reported under: their primary email after identity resolution, else their id
people as (

    select
        org_id,
        person_id,
        if(primary_email = '', person_id, primary_email) as person_email
    from dim_people

),

person_days as (

    select
        org_id,
        repo_id,
        person_id,
        day
    from commit_days
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        day
    from authored_days
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        day
    from merged_days
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        day
    from first_review_days
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        day
    from review_days

),

final as (

    select
        person_days.org_id as org_id,
        person_days.repo_id as repo_id,
        assumeNotNull(people.person_email) as author_email,
        person_days.person_id as person_id,
        person_days.day as day,
        toUInt64(coalesce(commit_days.day_commits, 0)) as commits_count,
        toUInt64(coalesce(commit_days.day_lines_added, 0)) as loc_added,
        toUInt64(coalesce(commit_days.day_lines_deleted, 0)) as loc_deleted,
        toUInt64(coalesce(commit_days.day_lines_touched, 0)) as loc_touched,
        toUInt64(coalesce(commit_days.day_files_changed, 0)) as files_changed,
        toUInt64(coalesce(commit_days.day_large_commits, 0)) as large_commits,
        if(commits_count = 0, null, loc_touched / commits_count) as avg_commit_size,
        toUInt64(coalesce(authored_days.day_prs_authored, 0)) as prs_authored,
        toUInt64(coalesce(merged_days.day_prs_merged, 0)) as prs_merged,
        merged_days.day_cycle_p50_hours as pr_cycle_p50_hours,
        merged_days.day_cycle_p90_hours as pr_cycle_p90_hours,
        first_review_days.day_first_review_p50_hours as pr_first_review_p50_hours,
        toUInt64(coalesce(review_days.day_reviews_given, 0)) as reviews_given
    -- unmatched joins read 0 (join_use_nulls = 0); the medians are Nullable and read NULL
    from person_days
    left join people
        on
            person_days.org_id = people.org_id
            and person_days.person_id = people.person_id
    left join commit_days
        on
            person_days.org_id = commit_days.org_id
            and person_days.repo_id = commit_days.repo_id
            and person_days.person_id = commit_days.person_id
            and person_days.day = commit_days.day
    left join authored_days
        on
            person_days.org_id = authored_days.org_id
            and person_days.repo_id = authored_days.repo_id
            and person_days.person_id = authored_days.person_id
            and person_days.day = authored_days.day
    left join merged_days
        on
            person_days.org_id = merged_days.org_id
            and person_days.repo_id = merged_days.repo_id
            and person_days.person_id = merged_days.person_id
            and person_days.day = merged_days.day
    left join first_review_days
        on
            person_days.org_id = first_review_days.org_id
            and person_days.repo_id = first_review_days.repo_id
            and person_days.person_id = first_review_days.person_id
            and person_days.day = first_review_days.day
    left join review_days
        on
            person_days.org_id = review_days.org_id
            and person_days.repo_id = review_days.repo_id
            and person_days.person_id = review_days.person_id
            and person_days.day = review_days.day

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
