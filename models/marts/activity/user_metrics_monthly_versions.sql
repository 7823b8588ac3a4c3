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

-- every input row a month's figures read, hashed with the person and email it is reported under: a month is
-- recomputed when its fingerprint changes, so an identity merge recomputes every month of the people concerned
cell_inputs as (

    select
        org_id,
        toStartOfMonth(toDate(authored_at, 'UTC')) as month,
        cityHash64(tuple(
            repo_id, commit_sha, author_person_id, author_primary_email, authored_at,
            lines_added, lines_deleted, lines_touched, files_changed
        )) as row_hash
    from commits
    where not is_merge and author_person_id != ''
    union all
    select
        org_id,
        toStartOfMonth(toDate(opened_at, 'UTC')) as month,
        cityHash64(tuple('opened', repo_id, pr_number, author_person_id, author_primary_email, opened_at)) as row_hash
    from pull_requests
    where author_person_id != ''
    union all
    select
        org_id,
        toStartOfMonth(toDate(assumeNotNull(merged_at), 'UTC')) as month,
        cityHash64(tuple(
            'merged', repo_id, pr_number, author_person_id, author_primary_email, opened_at, merged_at
        ))
            as row_hash
    from pull_requests
    where merged_at is not null and author_person_id != ''
    union all
    select
        org_id,
        toStartOfMonth(toDate(assumeNotNull(first_review_at), 'UTC')) as month,
        cityHash64(tuple(
            'first_review', repo_id, pr_number, author_person_id, author_primary_email, opened_at, first_review_at
        )) as row_hash
    from pull_requests
    where first_review_at is not null and author_person_id != ''
    union all
    select
        org_id,
        toStartOfMonth(toDate(submitted_at, 'UTC')) as month,
        cityHash64(tuple(
            'review', repo_id, pr_number, review_id, reviewer_person_id, reviewer_primary_email, submitted_at
        ))
            as row_hash
    from reviews
    where reviewer_person_id != ''

),

changed_cells as (

    {{ changed_cells('cell_inputs', period='month', salt=var('large_commit_lines')) }}

),

-- every figure is computed over the month's own rows, as user_metrics_daily computes it over a day's: the counts
-- equal the sums of the days, and the medians and percentiles are the month's, never a mean of daily ones
commit_months as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toStartOfMonth(toDate(authored_at, 'UTC')) as month,
        count() as month_commits,
        sum(lines_added) as month_lines_added,
        sum(lines_deleted) as month_lines_deleted,
        sum(lines_touched) as month_lines_touched,
        sum(files_changed) as month_files_changed,
        countIf(lines_touched > {{ var('large_commit_lines') }}) as month_large_commits
    from commits
    where
        not is_merge and author_person_id != ''
        and {{ in_changed_cells("toStartOfMonth(toDate(authored_at, 'UTC'))", period='month') }}
    group by org_id, repo_id, person_id, month

),

authored_months as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toStartOfMonth(toDate(opened_at, 'UTC')) as month,
        count() as month_prs_authored
    from pull_requests
    where author_person_id != '' and {{ in_changed_cells("toStartOfMonth(toDate(opened_at, 'UTC'))", period='month') }}
    group by org_id, repo_id, person_id, month

),

merged_months as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toStartOfMonth(toDate(assumeNotNull(merged_at), 'UTC')) as month,
        count() as month_prs_merged,
        {{ exact_quantile(0.5, hours_between('opened_at', 'merged_at')) }} as month_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('opened_at', 'merged_at')) }} as month_cycle_p90_hours
    from pull_requests
    where
        merged_at is not null and author_person_id != ''
        and {{ in_changed_cells("toStartOfMonth(toDate(assumeNotNull(merged_at), 'UTC'))", period='month') }}
    group by org_id, repo_id, person_id, month

),

first_review_months as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        toStartOfMonth(toDate(assumeNotNull(first_review_at), 'UTC')) as month,
        {{ exact_quantile(0.5, hours_between('opened_at', 'first_review_at')) }}
            as month_first_review_p50_hours
    from pull_requests
    where
        first_review_at is not null and author_person_id != ''
        and {{ in_changed_cells("toStartOfMonth(toDate(assumeNotNull(first_review_at), 'UTC'))", period='month') }}
    group by org_id, repo_id, person_id, month

),

review_months as (

    select
        org_id,
        repo_id,
        reviewer_person_id as person_id,
        toStartOfMonth(toDate(submitted_at, 'UTC')) as month,
        count() as month_reviews_given
    from reviews
    where
        reviewer_person_id != ''
        and {{ in_changed_cells("toStartOfMonth(toDate(submitted_at, 'UTC'))", period='month') }}
    group by org_id, repo_id, person_id, month

),

-- the email a person is reported under: their primary email after identity resolution, else their id
people as (

    select
        org_id,
        person_id,
        if(primary_email = '', person_id, primary_email) as person_email
    from dim_people

),

person_months as (

    select
        org_id,
        repo_id,
        person_id,
        month
    from commit_months
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        month
    from authored_months
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        month
    from merged_months
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        month
    from first_review_months
    union distinct
    select
        org_id,
        repo_id,
        person_id,
        month
    from review_months

),

final as (

    select
        person_months.org_id as org_id,
        person_months.repo_id as repo_id,
        assumeNotNull(people.person_email) as author_email,
        person_months.person_id as person_id,
        person_months.month as month,
        toUInt64(coalesce(commit_months.month_commits, 0)) as commits_count,
        toUInt64(coalesce(commit_months.month_lines_added, 0)) as loc_added,
        toUInt64(coalesce(commit_months.month_lines_deleted, 0)) as loc_deleted,
        toUInt64(coalesce(commit_months.month_lines_touched, 0)) as loc_touched,
        toUInt64(coalesce(commit_months.month_files_changed, 0)) as files_changed,
        toUInt64(coalesce(commit_months.month_large_commits, 0)) as large_commits,
        if(commits_count = 0, null, loc_touched / commits_count) as avg_commit_size,
        toUInt64(coalesce(authored_months.month_prs_authored, 0)) as prs_authored,
        toUInt64(coalesce(merged_months.month_prs_merged, 0)) as prs_merged,
        merged_months.month_cycle_p50_hours as pr_cycle_p50_hours,
        merged_months.month_cycle_p90_hours as pr_cycle_p90_hours,
        first_review_months.month_first_review_p50_hours as pr_first_review_p50_hours,
        toUInt64(coalesce(review_months.month_reviews_given, 0)) as reviews_given
    -- unmatched joins read 0 (join_use_nulls = 0); the medians are Nullable and read NULL
    from person_months
    left join people
        on
            person_months.org_id = people.org_id
            and person_months.person_id = people.person_id
    left join commit_months
        on
            person_months.org_id = commit_months.org_id
            and person_months.repo_id = commit_months.repo_id
            and person_months.person_id = commit_months.person_id
            and person_months.month = commit_months.month
    left join authored_months
        on
            person_months.org_id = authored_months.org_id
            and person_months.repo_id = authored_months.repo_id
            and person_months.person_id = authored_months.person_id
            and person_months.month = authored_months.month
    left join merged_months
        on
            person_months.org_id = merged_months.org_id
            and person_months.repo_id = merged_months.repo_id
            and person_months.person_id = merged_months.person_id
            and person_months.month = merged_months.month
    left join first_review_months
        on
            person_months.org_id = first_review_months.org_id
            and person_months.repo_id = first_review_months.repo_id
            and person_months.person_id = first_review_months.person_id
            and person_months.month = first_review_months.month
    left join review_months
        on
            person_months.org_id = review_months.org_id
            and person_months.repo_id = review_months.repo_id
            and person_months.person_id = review_months.person_id
            and person_months.month = review_months.month

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'month') }}
