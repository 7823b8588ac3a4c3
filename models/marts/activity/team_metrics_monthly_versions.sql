{{ config(**append_only_mart('(org_id, team_id, month)', 'month', renamed_columns={'commits': 'commits_count'})) }}

with

daily as (

    select * from {{ ref('team_metrics_daily') }}

),

-- each day's figures, hashed: a month is recomputed when one of its days changed
cell_inputs as (

    select
        org_id,
        toStartOfMonth(day) as month,
        cityHash64(tuple(team_id, team_label, day, commits_count, after_hours_commits, weekend_commits)) as row_hash
    from daily

),

changed_cells as (

    {{ changed_cells('cell_inputs', period='month') }}

),

month_sums as (

    select
        org_id,
        team_id,
        -- the name of the month's last day: a team renamed mid-month shows its new name
        argMax(team_label, day) as month_team_label,
        toStartOfMonth(day) as month,
        sum(commits_count) as month_commits,
        sum(after_hours_commits) as month_after_hours_commits,
        sum(weekend_commits) as month_weekend_commits
    from daily
    where {{ in_changed_cells('toStartOfMonth(day)', period='month') }}
    group by org_id, team_id, month

),

-- the ratios are recomputed from summed counts: a mean of daily ratios would weigh a quiet day like a busy one
final as (

    select
        org_id,
        team_id,
        {{ team_key('team_id') }} as team_key,
        month_team_label as team_label,
        month,
        toUInt64(month_commits) as commits_count,
        toUInt64(month_after_hours_commits) as after_hours_commits,
        toUInt64(month_weekend_commits) as weekend_commits,
        month_after_hours_commits / month_commits as after_hours_commit_ratio,
        month_weekend_commits / month_commits as weekend_commit_ratio
    from month_sums

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'month') }}
