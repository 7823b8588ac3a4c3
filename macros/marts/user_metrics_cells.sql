{#- The rows of user_metrics_daily_versions (period 'day') and user_metrics_monthly_versions ('month'): one rule
    for both grains, after the model's import CTEs (people_work_imports: `people`, and `commits`, `pull_requests` and
    `reviews` with bots left out), ending with the rows the run appends (cell_versions). -#}
{% macro user_metrics_cells(period) -%}
    {#- the CTEs below that each hold some of a cell's figures, keyed by (org_id, repo_id, person_id, period) -#}
    {%- set figures = {
        'commit_periods': [
            'period_commits', 'period_lines_added', 'period_lines_deleted', 'period_lines_touched',
            'period_files_changed', 'period_large_commits'
        ],
        'authored_periods': ['period_prs_authored'],
        'merged_periods': ['period_prs_merged', 'period_cycle_p50_hours', 'period_cycle_p90_hours'],
        'first_review_periods': ['period_first_review_p50_hours'],
        'review_periods': ['period_reviews_given'],
    } -%}
    {{ cell_inputs_from_day_fingerprints('people_work_fingerprints_daily', period) }},

-- every figure is computed over the period's own rows: a month's counts equal the sums of its days, and its
-- medians and percentiles are the month's, never a mean of daily ones
changed_cells as (

    {{ changed_cells('cell_inputs', period=period) }}

),

commit_periods as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        {{ utc_period('authored_at', period) }} as {{ period }},
        count() as period_commits,
        sum(lines_added) as period_lines_added,
        sum(lines_deleted) as period_lines_deleted,
        sum(lines_touched) as period_lines_touched,
        sum(files_changed) as period_files_changed,
        countIf(lines_touched > {{ var('large_commit_lines') }}) as period_large_commits
    from commits
    where
        not is_merge and author_person_id != ''
        and {{ in_changed_cells(utc_period('authored_at', period), period=period) }}
    group by org_id, repo_id, person_id, {{ period }}

),

authored_periods as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        {{ utc_period('opened_at', period) }} as {{ period }},
        count() as period_prs_authored
    from pull_requests
    where
        author_person_id != ''
        and {{ in_changed_cells(utc_period('opened_at', period), period=period) }}
    group by org_id, repo_id, person_id, {{ period }}

),

merged_periods as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        {{ utc_period('assumeNotNull(merged_at)', period) }} as {{ period }},
        count() as period_prs_merged,
        {{ exact_quantile(0.5, hours_between('opened_at', 'merged_at')) }} as period_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('opened_at', 'merged_at')) }} as period_cycle_p90_hours
    from pull_requests
    where
        merged_at is not null and author_person_id != ''
        and {{ in_changed_cells(utc_period('assumeNotNull(merged_at)', period), period=period) }}
    group by org_id, repo_id, person_id, {{ period }}

),

first_review_periods as (

    select
        org_id,
        repo_id,
        author_person_id as person_id,
        {{ utc_period('assumeNotNull(first_review_at)', period) }} as {{ period }},
        {{ exact_quantile(0.5, hours_between('opened_at', 'first_review_at')) }}
            as period_first_review_p50_hours
    from pull_requests
    where
        first_review_at is not null and author_person_id != ''
        and {{ in_changed_cells(utc_period('assumeNotNull(first_review_at)', period), period=period) }}
    group by org_id, repo_id, person_id, {{ period }}

),

review_periods as (

    select
        org_id,
        repo_id,
        reviewer_person_id as person_id,
        {{ utc_period('submitted_at', period) }} as {{ period }},
        count() as period_reviews_given
    from reviews
    where
        reviewer_person_id != ''
        and {{ in_changed_cells(utc_period('submitted_at', period), period=period) }}
    group by org_id, repo_id, person_id, {{ period }}

),

person_periods as (

    {{ figures_by_key(figures, ['org_id', 'repo_id', 'person_id', period]) }}

),

final as (

    select
        person_periods.org_id as org_id,
        person_periods.repo_id as repo_id,
        assumeNotNull(people.person_email) as author_email,
        person_periods.person_id as person_id,
        person_periods.{{ period }} as {{ period }},
        toUInt64(coalesce(person_periods.period_commits, 0)) as commits_count,
        toUInt64(coalesce(person_periods.period_lines_added, 0)) as loc_added,
        toUInt64(coalesce(person_periods.period_lines_deleted, 0)) as loc_deleted,
        toUInt64(coalesce(person_periods.period_lines_touched, 0)) as loc_touched,
        toUInt64(coalesce(person_periods.period_files_changed, 0)) as files_changed,
        toUInt64(coalesce(person_periods.period_large_commits, 0)) as large_commits,
        if(commits_count = 0, null, loc_touched / commits_count) as avg_commit_size,
        toUInt64(coalesce(person_periods.period_prs_authored, 0)) as prs_authored,
        toUInt64(coalesce(person_periods.period_prs_merged, 0)) as prs_merged,
        person_periods.period_cycle_p50_hours as pr_cycle_p50_hours,
        person_periods.period_cycle_p90_hours as pr_cycle_p90_hours,
        person_periods.period_first_review_p50_hours as pr_first_review_p50_hours,
        toUInt64(coalesce(person_periods.period_reviews_given, 0)) as reviews_given
    -- a figure whose CTE has no row for the cell reads NULL
    from person_periods
    left join people using (org_id, person_id)

)

{{ cell_versions('final', period) }}
{%- endmacro %}
