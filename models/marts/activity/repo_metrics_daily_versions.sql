{{ config(**append_only_mart('(org_id, repo_id, day)', 'day')) }}
-- the cells' fingerprints, read in macro cell_inputs_from_day_fingerprints: named here too, so a partial parse sees it
-- depends_on: {{ ref('repo_work_fingerprints_daily') }}

with

commits as (

    select * from {{ ref('int_commits_enriched') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}

),

{{ cell_inputs_from_day_fingerprints('repo_work_fingerprints_daily', 'day') }},

changed_cells as (

    {{ changed_cells('cell_inputs') }}

),

-- git's counting contract: merge commits are left out, as `git log --numstat --no-merges` does
commit_days as (

    select
        org_id,
        repo_id,
        toDate(authored_at, 'UTC') as day,
        count() as day_commits,
        uniqExact(author_person_id) as day_authors,
        sum(lines_added) as day_lines_added,
        sum(lines_deleted) as day_lines_deleted,
        sum(lines_touched) as day_lines_touched,
        sum(files_changed) as day_files_changed,
        countIf(lines_touched > {{ var('large_commit_lines') }}) as day_large_commits
    from commits
    where not is_merge and {{ in_changed_cells("toDate(authored_at, 'UTC')") }}
    group by org_id, repo_id, day

),

opened_days as (

    select
        org_id,
        repo_id,
        toDate(opened_at, 'UTC') as day,
        count() as day_prs_opened
    from pull_requests
    where {{ in_changed_cells("toDate(opened_at, 'UTC')") }}
    group by org_id, repo_id, day

),

merged_days as (

    select
        org_id,
        repo_id,
        toDate(assumeNotNull(merged_at), 'UTC') as day,
        count() as day_prs_merged,
        {{ exact_quantile(0.5, hours_between('opened_at', 'merged_at')) }} as day_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('opened_at', 'merged_at')) }} as day_cycle_p90_hours
    from pull_requests
    where merged_at is not null and {{ in_changed_cells("toDate(assumeNotNull(merged_at), 'UTC')") }}
    group by org_id, repo_id, day

),

first_review_days as (

    select
        org_id,
        repo_id,
        toDate(assumeNotNull(first_review_at), 'UTC') as day,
        {{ exact_quantile(0.5, hours_between('opened_at', 'first_review_at')) }}
            as day_first_review_p50_hours
    from pull_requests
    where first_review_at is not null and {{ in_changed_cells("toDate(assumeNotNull(first_review_at), 'UTC')") }}
    group by org_id, repo_id, day

),

repo_days as (

    {{ figures_by_key({
        'commit_days': [
            'day_commits', 'day_authors', 'day_lines_added', 'day_lines_deleted', 'day_lines_touched',
            'day_files_changed', 'day_large_commits'
        ],
        'opened_days': ['day_prs_opened'],
        'merged_days': ['day_prs_merged', 'day_cycle_p50_hours', 'day_cycle_p90_hours'],
        'first_review_days': ['day_first_review_p50_hours'],
    }, ['org_id', 'repo_id', 'day']) }}

),

final as (

    select
        repo_days.org_id as org_id,
        repo_days.repo_id as repo_id,
        repo_days.day as day,
        toUInt64(coalesce(repo_days.day_commits, 0)) as commits_count,
        toUInt64(coalesce(repo_days.day_authors, 0)) as authors_count,
        toUInt64(coalesce(repo_days.day_lines_added, 0)) as loc_added,
        toUInt64(coalesce(repo_days.day_lines_deleted, 0)) as loc_deleted,
        toUInt64(coalesce(repo_days.day_lines_touched, 0)) as loc_touched,
        toUInt64(coalesce(repo_days.day_files_changed, 0)) as files_changed,
        toUInt64(coalesce(repo_days.day_large_commits, 0)) as large_commits,
        if(commits_count = 0, null, loc_touched / commits_count) as avg_commit_size,
        toUInt64(coalesce(repo_days.day_prs_opened, 0)) as prs_opened,
        toUInt64(coalesce(repo_days.day_prs_merged, 0)) as prs_merged,
        repo_days.day_cycle_p50_hours as pr_cycle_p50_hours,
        repo_days.day_cycle_p90_hours as pr_cycle_p90_hours,
        repo_days.day_first_review_p50_hours as pr_first_review_p50_hours
    -- a figure whose CTE has no row for the day reads NULL
    from repo_days

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
