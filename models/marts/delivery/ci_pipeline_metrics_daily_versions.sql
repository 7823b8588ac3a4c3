{{ config(**append_only_mart('(org_id, repo_id, pipeline_name, day)', 'day')) }}

with

runs as (

    select * from {{ ref('int_ci_runs_classified') }}

),

-- every figure of a run, its classes included, hashed into its day's cell: a run classified again (a later
-- pass makes yesterday's failure flaky) recomputes its day
cell_inputs as (

    select
        org_id,
        run_day as day,
        cityHash64(tuple(
            provider, repo_id, run_id, pipeline_name, conclusion, started_at, finished_at, queued_seconds,
            is_rerun, is_flaky, starts_red_period, red_started_at, red_ended_at
        )) as row_hash
    from runs

),

changed_cells as (

    {{ changed_cells('cell_inputs') }}

),

final as (

    select
        org_id,
        repo_id,
        pipeline_name,
        run_day as day,
        toUInt64(count()) as runs_count,
        toUInt64(countIf(conclusion = 'success')) as successful_runs,
        toUInt64(countIf(conclusion = 'failure')) as failed_runs,
        if(successful_runs + failed_runs = 0, null, successful_runs / (successful_runs + failed_runs)) as success_rate,
        {{ exact_quantile(0.5, elapsed('started_at', 'finished_at', 'minute')) }}
            as duration_p50_minutes,
        {{ exact_quantile(0.9, elapsed('started_at', 'finished_at', 'minute')) }}
            as duration_p90_minutes,
        {{ exact_quantile(0.5, 'queued_seconds / 60') }} as queue_p50_minutes,
        toUInt64(countIf(is_rerun)) as reruns_count,
        toUInt64(countIf(is_flaky)) as flaky_runs,
        toUInt64(countIf(starts_red_period)) as red_periods_started,
        -- 0, not NULL, on a day whose red periods have not ended (or that started none): no red time counted yet
        toFloat64(coalesce(sumIf({{ hours_between('red_started_at', 'red_ended_at') }}, red_ended_at is not null), 0))
            as red_time_hours
    from runs
    where {{ in_changed_cells('run_day') }}
    group by org_id, repo_id, pipeline_name, day

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
