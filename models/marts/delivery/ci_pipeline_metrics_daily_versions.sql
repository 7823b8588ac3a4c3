{{ config(**append_only_mart('(org_id, repo_id, pipeline_name, day)', 'day')) }}

with

runs as (

    select * from {{ ref('int_ci_runs_unioned') }}

),

-- what each run is, read over every run of its workflow: a rerun, a flaky failure, the start of a red period.
-- These reach across days (a pass the next day makes yesterday's failure flaky), so they are hashed into the
-- run's cell below and a later run recomputes the earlier day.
-- Rerun and flaky order runs of one commit, branch and workflow by start time, then run id: the same commit
-- pushed to a second branch builds again, but is no rerun (real runs show it: tests/fixtures/github/README.md).
commit_runs as (

    select
        org_id,
        provider,
        repo_id,
        run_id,
        pipeline_name,
        head_sha,
        branch,
        is_default_branch,
        conclusion,
        started_at,
        finished_at,
        queued_seconds,
        head_sha != '' and (row_number() over commit_order) > 1 as is_rerun,
        head_sha != ''
        and conclusion = 'failure'
        and (countIf(conclusion = 'success') over commit_later) > 0 as is_flaky
    from runs
    window
        commit_order as (
            partition by org_id, repo_id, pipeline_name, head_sha, branch order by started_at, run_id
        ),
        commit_later as (
            partition by org_id, repo_id, pipeline_name, head_sha, branch order by started_at, run_id
            rows between 1 following and unbounded following
        )

),

-- the default branch's runs that decide its colour (success or failure), in start order per workflow
default_branch_runs as (

    select
        org_id,
        provider,
        repo_id,
        run_id,
        pipeline_name,
        conclusion,
        started_at,
        coalesce(finished_at, started_at) as ended_at,
        lagInFrame(conclusion, 1, '') over workflow_order as previous_conclusion,
        minOrNull(if(conclusion = 'success', coalesce(finished_at, started_at), null)) over workflow_later
            as next_pass_ended_at
    from commit_runs
    where is_default_branch and conclusion in ('success', 'failure')
    window
        workflow_order as (
            partition by org_id, repo_id, pipeline_name order by started_at, run_id
            rows between unbounded preceding and unbounded following
        ),
        workflow_later as (
            partition by org_id, repo_id, pipeline_name order by started_at, run_id
            rows between 1 following and unbounded following
        )

),

-- a red period starts at a failure right after a pass (or the workflow's first run) and ends when the first
-- pass started after it finishes; one still red has no end and no red time yet
red_periods as (

    select
        org_id,
        provider,
        repo_id,
        run_id,
        ended_at as period_started_at,
        next_pass_ended_at as period_ended_at
    from default_branch_runs
    where conclusion = 'failure' and previous_conclusion != 'failure'

),

classified_runs as (

    select
        commit_runs.org_id as org_id,
        commit_runs.provider as provider,
        commit_runs.repo_id as repo_id,
        commit_runs.run_id as run_id,
        commit_runs.pipeline_name as pipeline_name,
        commit_runs.conclusion as conclusion,
        commit_runs.started_at as started_at,
        commit_runs.finished_at as finished_at,
        commit_runs.queued_seconds as queued_seconds,
        commit_runs.is_rerun as is_rerun,
        commit_runs.is_flaky as is_flaky,
        -- unmatched: run_id reads '' (join_use_nulls = 0); a run's own id is never ''
        red_periods.run_id != '' as starts_red_period,
        if(starts_red_period, red_periods.period_started_at, null) as red_started_at,
        if(starts_red_period, red_periods.period_ended_at, null) as red_ended_at,
        toDate(commit_runs.started_at, 'UTC') as run_day
    from commit_runs
    left join red_periods using (org_id, provider, repo_id, run_id)

),

-- each row's figures, and the sum of the hashes of every input row they read: a day is recomputed when the sum
-- over its rows changes. The windows above read the whole history, so every cell's figures come from this one
-- pass, and only the changed cells' rows are kept
figures as (

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
            as red_time_hours,
        sum(cityHash64(tuple(
            provider, repo_id, run_id, pipeline_name, conclusion, started_at, finished_at, queued_seconds,
            is_rerun, is_flaky, starts_red_period, red_started_at, red_ended_at
        ))) as cell_hash
    from classified_runs
    group by org_id, repo_id, pipeline_name, day

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions_in_one_pass('figures') }}
