{{ config(**append_only_mart('(org_id, person_id, month)', 'month')) }}
-- the cells' fingerprints, read in macro cell_inputs_from_day_fingerprints: named here too, so a partial parse sees it
-- depends_on: {{ ref('people_work_fingerprints_daily') }}

with

{{ people_work_imports() }},

{{ cell_inputs_from_day_fingerprints('people_work_fingerprints_daily', 'month') }},

changed_cells as (

    {{ changed_cells('cell_inputs', period='month') }}

),

-- one row per thing a person did, with its UTC day and repository: active days and repositories are counted
-- over all of them
activity as (

    select
        org_id,
        author_person_id as person_id,
        toDate(authored_at, 'UTC') as day,
        repo_id,
        1 as is_commit,
        lines_added,
        lines_deleted,
        files_changed,
        0 as is_pr_opened,
        0 as is_pr_merged,
        cast(null, 'Nullable(Float64)') as cycle_hours,
        0 as is_review
    from commits
    where not is_merge and author_person_id != ''
    union all
    select
        org_id,
        author_person_id as person_id,
        toDate(opened_at, 'UTC') as day,
        repo_id,
        0 as is_commit,
        0 as lines_added,
        0 as lines_deleted,
        0 as files_changed,
        1 as is_pr_opened,
        0 as is_pr_merged,
        cast(null, 'Nullable(Float64)') as cycle_hours,
        0 as is_review
    from pull_requests
    where author_person_id != ''
    union all
    select
        org_id,
        author_person_id as person_id,
        toDate(assumeNotNull(merged_at), 'UTC') as day,
        repo_id,
        0 as is_commit,
        0 as lines_added,
        0 as lines_deleted,
        0 as files_changed,
        0 as is_pr_opened,
        1 as is_pr_merged,
        {{ hours_between('opened_at', 'merged_at') }} as cycle_hours,
        0 as is_review
    from pull_requests
    where merged_at is not null and author_person_id != ''
    union all
    select
        org_id,
        reviewer_person_id as person_id,
        toDate(submitted_at, 'UTC') as day,
        repo_id,
        0 as is_commit,
        0 as lines_added,
        0 as lines_deleted,
        0 as files_changed,
        0 as is_pr_opened,
        0 as is_pr_merged,
        cast(null, 'Nullable(Float64)') as cycle_hours,
        1 as is_review
    from reviews
    where reviewer_person_id != ''

),

person_months as (

    select
        org_id,
        person_id,
        toStartOfMonth(day) as month,
        uniqExact(day) as month_active_days,
        uniqExact(repo_id) as month_repos,
        sum(is_commit) as month_commits,
        sum(lines_added) as month_lines_added,
        sum(lines_deleted) as month_lines_deleted,
        sum(files_changed) as month_files_changed,
        sum(is_pr_opened) as month_prs_authored,
        sum(is_pr_merged) as month_prs_merged,
        {{ exact_quantile(0.5, 'cycle_hours') }} as month_cycle_p50_hours,
        sum(is_review) as month_reviews_given
    from activity
    where {{ in_changed_cells("toStartOfMonth(day)", period='month') }}
    group by org_id, person_id, month

),

final as (

    select
        person_months.org_id as org_id,
        person_months.person_id as person_id,
        assumeNotNull(people.person_email) as person_email,
        person_months.month as month,
        toUInt64(person_months.month_active_days) as active_days,
        toUInt64(person_months.month_repos) as repos_count,
        toUInt64(person_months.month_commits) as commits_count,
        toUInt64(person_months.month_lines_added) as loc_added,
        toUInt64(person_months.month_lines_deleted) as loc_deleted,
        toUInt64(person_months.month_files_changed) as files_changed,
        toUInt64(person_months.month_prs_authored) as prs_authored,
        toUInt64(person_months.month_prs_merged) as prs_merged,
        person_months.month_cycle_p50_hours as pr_cycle_p50_hours,
        toUInt64(person_months.month_reviews_given) as reviews_given
    -- an unmatched person reads '' (join_use_nulls = 0): every person_id comes from identity resolution
    from person_months
    left join people using (org_id, person_id)

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'month') }}
