{{ config(**append_only_mart('(org_id, repo_id, month)', 'month')) }}

with

daily as (

    select * from {{ ref('repo_metrics_daily') }}

),

commits as (

    select * from {{ ref('int_commits_enriched') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}

),

day_fingerprints as (

    select * from {{ ref('repo_work_fingerprints_daily') }}

),

-- a month is recomputed when its fingerprint changes: the sum of its days' fingerprints (every commit and pull
-- request event of the day, hashed: repo_work_fingerprints_daily) and of the hashes of the daily mart's rows it
-- sums (a change to the daily figures' rule recomputes the months too)
cell_inputs as (

    select
        org_id,
        toStartOfMonth(day) as month,
        cityHash64(tuple(
            repo_id, day, commits_count, loc_added, loc_deleted, loc_touched, files_changed, large_commits,
            prs_opened, prs_merged
        )) as row_hash
    from daily
    union all
    select
        org_id,
        toStartOfMonth(day) as month,
        fingerprint as row_hash
    from day_fingerprints

),

changed_cells as (

    {{ changed_cells('cell_inputs', period='month') }}

),

-- counts add up over days, so they are summed from the daily mart
daily_sums as (

    select
        org_id,
        repo_id,
        toStartOfMonth(day) as month,
        sum(commits_count) as month_commits,
        sum(loc_added) as month_loc_added,
        sum(loc_deleted) as month_loc_deleted,
        sum(loc_touched) as month_loc_touched,
        sum(files_changed) as month_files_changed,
        sum(large_commits) as month_large_commits,
        sum(prs_opened) as month_prs_opened,
        sum(prs_merged) as month_prs_merged
    from daily
    where {{ in_changed_cells('toStartOfMonth(day)', period='month') }}
    group by org_id, repo_id, month

),

-- distinct authors do not add up (one person on two days is one author), so they are counted anew
month_authors as (

    select
        org_id,
        repo_id,
        toStartOfMonth(toDate(authored_at, 'UTC')) as month,
        uniqExact(author_person_id) as month_authors
    from commits
    where not is_merge and {{ in_changed_cells("toStartOfMonth(toDate(authored_at, 'UTC'))", period='month') }}
    group by org_id, repo_id, month

),

-- a median of daily medians is not the month's median, so they are computed over the month's pull requests
merged_months as (

    select
        org_id,
        repo_id,
        toStartOfMonth(toDate(assumeNotNull(merged_at), 'UTC')) as month,
        {{ exact_quantile(0.5, hours_between('opened_at', 'merged_at')) }} as month_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('opened_at', 'merged_at')) }} as month_cycle_p90_hours
    from pull_requests
    where
        merged_at is not null
        and {{ in_changed_cells("toStartOfMonth(toDate(assumeNotNull(merged_at), 'UTC'))", period='month') }}
    group by org_id, repo_id, month

),

first_review_months as (

    select
        org_id,
        repo_id,
        toStartOfMonth(toDate(assumeNotNull(first_review_at), 'UTC')) as month,
        {{ exact_quantile(0.5, hours_between('opened_at', 'first_review_at')) }}
            as month_first_review_p50_hours
    from pull_requests
    where
        first_review_at is not null
        and {{ in_changed_cells("toStartOfMonth(toDate(assumeNotNull(first_review_at), 'UTC'))", period='month') }}
    group by org_id, repo_id, month

),

-- every repo-month with activity has daily rows, so daily_sums holds every key
final as (

    select
        daily_sums.org_id as org_id,
        daily_sums.repo_id as repo_id,
        daily_sums.month as month,
        toUInt64(daily_sums.month_commits) as commits_count,
        toUInt64(coalesce(month_authors.month_authors, 0)) as authors_count,
        toUInt64(daily_sums.month_loc_added) as loc_added,
        toUInt64(daily_sums.month_loc_deleted) as loc_deleted,
        toUInt64(daily_sums.month_loc_touched) as loc_touched,
        toUInt64(daily_sums.month_files_changed) as files_changed,
        toUInt64(daily_sums.month_large_commits) as large_commits,
        if(commits_count = 0, null, loc_touched / commits_count) as avg_commit_size,
        toUInt64(daily_sums.month_prs_opened) as prs_opened,
        toUInt64(daily_sums.month_prs_merged) as prs_merged,
        merged_months.month_cycle_p50_hours as pr_cycle_p50_hours,
        merged_months.month_cycle_p90_hours as pr_cycle_p90_hours,
        first_review_months.month_first_review_p50_hours as pr_first_review_p50_hours
    -- unmatched joins read 0 (join_use_nulls = 0); the medians are Nullable and read NULL
    from daily_sums
    left join month_authors using (org_id, repo_id, month)
    left join merged_months using (org_id, repo_id, month)
    left join first_review_months using (org_id, repo_id, month)

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'month') }}
