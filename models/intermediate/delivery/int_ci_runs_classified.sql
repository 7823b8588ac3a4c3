{#- keyed (recompute_keys): a refresh classifies again only the runs ci_run_keys_to_recompute names (the runs
    touched since the last build, their commit groups and their reach on the default branch), reading the runs
    around them for context, not every run of the history through windows. Ordered by the UTC day of the run
    first: ci_pipeline_metrics_daily_versions reads the runs of the days whose cells changed -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, run_day, repo_id, pipeline_name, run_id)',
    pre_hook=[
        "{{ recompute_keys(ci_run_keys_to_recompute(), ['org_id', 'provider', 'repo_id', 'run_id']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

with

unioned_runs as (

    select * from {{ ref('int_ci_runs_unioned') }}

),

github_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

gitlab_repositories as (

    select * from {{ ref('stg_gitlab__repositories') }}

),

default_branches as (

    {{ repository_default_branches('github_repositories', 'gitlab_repositories') }}

),

-- the runs this build classifies, as int_ci_runs_unioned holds them now; a run of a repository whose default
-- branch no provider names is on no default branch. On an incremental build, a few runs read through one scalar
-- subquery (rows_computed_once): the statement reads them six times, and a CTE is computed again at each
-- reference (1M commits, a day's runs: 0.07 s each)
{%- set recomputed_columns = [
    'org_id', 'provider', 'repo_id', 'run_id', 'pipeline_name', 'head_sha', 'branch', 'is_default_branch',
    'conclusion', 'started_at', 'finished_at', 'queued_seconds'
] %}
{%- set recomputed -%}
    select
        {{ recomputed_columns[:7] | join(', ') }},
        {{ is_default_branch_run('default_branches') }} as is_default_branch,
        {{ recomputed_columns[8:] | join(', ') }}
    from unioned_runs
    {{- where_recomputed(['org_id', 'provider', 'repo_id', 'run_id']) }}
{%- endset %}
recomputed_runs as (

    {{ recomputed if recomputes_everything() else rows_computed_once(recomputed, recomputed_columns) }}

),

-- the runs that decide a workflow's colour on its default branch (a success or a failure there), and the columns
-- the reaches read of them
{%- set in_default_order = "is_default_branch and conclusion in ('success', 'failure')" %}
{%- set default_order_columns -%}
    org_id,
    repo_id,
    pipeline_name,
    conclusion,
    (started_at, run_id) as position,
    coalesce(finished_at, started_at) as ended_at
{%- endset %}
-- the recomputed runs' spans on their workflows' default branches
recomputed_spans as (

    select
        org_id,
        repo_id,
        pipeline_name,
        min((started_at, run_id)) as first_recomputed,
        max((started_at, run_id)) as last_recomputed
    from recomputed_runs
    where {{ in_default_order }}
    group by org_id, repo_id, pipeline_name

),

-- the default branches' runs that decide their colour, in start order per workflow: those recomputed and, on an
-- incremental build, the others this table holds (the pre-hook deleted the recomputed ones' rows), untouched
-- since their own build and so as int_ci_runs_unioned holds them: a table read by a flag column, where
-- int_ci_runs_unioned is a view read through the repositories. Only the columns the reaches read, and of the
-- stored runs, those from a month before the first recomputed run's day, and before it only for the workflows
-- with no run there before their first recomputed one: a reach starts at the run right before it, and one
-- found in the month is that run (the table orders runs by day, and its primary key skips the days before;
-- 2M commits, a day's runs: 16k stored runs of 1.34M)
{%- set stored_default_order -%}
    select
        {{ default_order_columns }},
        false as is_recomputed
    from {{ this }}
    where {{ in_default_order }}
{%- endset %}
{%- set month_start -%}
    (
        select coalesce(
            toDate(minOrNull(tupleElement(first_recomputed, 1)), 'UTC') - toIntervalDay(31),
            toDate('2149-06-06')
        )
        from recomputed_spans
    )
{%- endset %}
{%- set stored_in_month = stored_default_order ~ ' and run_day >= ' ~ month_start %}
{%- set workflows_reaching_back -%}
    select
        recomputed_spans.org_id,
        recomputed_spans.repo_id,
        recomputed_spans.pipeline_name
    from recomputed_spans
    left join (
        select
            stored_runs.org_id as org_id,
            stored_runs.repo_id as repo_id,
            stored_runs.pipeline_name as pipeline_name,
            min(stored_runs.position) as earliest_position
        from ({{ stored_in_month }}) as stored_runs
        group by stored_runs.org_id, stored_runs.repo_id, stored_runs.pipeline_name
    ) as month_runs
        on
            recomputed_spans.org_id = month_runs.org_id
            and recomputed_spans.repo_id = month_runs.repo_id
            and recomputed_spans.pipeline_name = month_runs.pipeline_name
    -- unmatched: no run in the month, earliest_position reads the default tuple (join_use_nulls = 0)
    where not (month_runs.earliest_position < recomputed_spans.first_recomputed and month_runs.org_id != '')
{%- endset %}
{%- set stored_before_month = stored_default_order ~ ' and run_day < ' ~ month_start
    ~ ' and (org_id, repo_id, pipeline_name) in (' ~ workflows_reaching_back ~ ')' %}
default_runs as (

    select
        {{ default_order_columns }},
        true as is_recomputed
    from recomputed_runs
    where {{ in_default_order }}
    {%- if is_incremental() %}
        union all
        {{ stored_in_month }}
        union all
        {{ stored_before_month }}
    {%- endif %}

),

-- per workflow, the default-branch runs a recomputed run's colour reads: from the run before the first
-- recomputed one (its previous conclusion) to the runs started before the first pass after the last one had
-- ended (a pass started later ends later: no earlier end for a red period)
{%- set reach_columns = ['org_id', 'repo_id', 'pipeline_name', 'reach_from', 'reach_until', 'reach_started_at'] %}
{%- set reaches -%}
    select
        default_runs.org_id as org_id,
        default_runs.repo_id as repo_id,
        default_runs.pipeline_name as pipeline_name,
        -- none before: the default tuple, before every run
        maxIf(default_runs.position, default_runs.position < recomputed_spans.first_recomputed) as reach_from,
        -- none after: no bound
        coalesce(
            argMinIf(
                toNullable(default_runs.ended_at),
                default_runs.position,
                default_runs.conclusion = 'success' and default_runs.position > recomputed_spans.last_recomputed
            ),
            toDateTime64('2299-12-31 23:59:59', 6, 'UTC')
        ) as reach_until,
        -- the start of the reach's first run: the run before the first recomputed one, else that one itself
        if(
            countIf(default_runs.position < recomputed_spans.first_recomputed) > 0,
            tupleElement(reach_from, 1),
            tupleElement(any(recomputed_spans.first_recomputed), 1)
        ) as reach_started_at
    from default_runs
    inner join recomputed_spans
        on
            default_runs.org_id = recomputed_spans.org_id
            and default_runs.repo_id = recomputed_spans.repo_id
            and default_runs.pipeline_name = recomputed_spans.pipeline_name
    group by default_runs.org_id, default_runs.repo_id, default_runs.pipeline_name

{%- endset %}
default_reaches as (

    {{ rows_computed_once(reaches, reach_columns) }}

),

-- the runs they are classified among: those recomputed and, on an incremental build, the stored runs a class
-- can read: those of the recomputed runs' commit groups (flagged: context_runs keeps them all), and the
-- default-order runs from the day the earliest reach starts (the table is ordered by day: its primary key skips
-- the days before; with no reach, none). The reaches' own bounds are applied below, to these rows only: a pass
-- over every stored run, with all its columns, through the join to the reaches cost as much as the rest of the
-- build (2M commits: 0.86 s)
{%- set in_recomputed_commit_groups -%}
    head_sha in (
        select head_sha from recomputed_runs
        where head_sha != ''
    )
    and (org_id, repo_id, pipeline_name, head_sha, branch) in (
        select
            org_id,
            repo_id,
            pipeline_name,
            head_sha,
            branch
        from recomputed_runs
        where head_sha != ''
    )
{%- endset %}
{%- set stored_default_reach -%}
    is_default_branch
    and ifNull(conclusion, '') in ('success', 'failure')
    and run_day >= (
        select coalesce(toDate(minOrNull(reach_started_at), 'UTC'), toDate('2149-06-06'))
        from default_reaches
    )
{%- endset %}
kept_and_recomputed as (

    select
        {{ recomputed_columns | join(', ') }},
        true as is_recomputed,
        false as is_in_commit_group
    from recomputed_runs
    {%- if is_incremental() %}
        union all
        select
            {{ recomputed_columns | join(', ') }},
            false as is_recomputed,
            true as is_in_commit_group
        from {{ this }}
        where {{ in_recomputed_commit_groups }}
        union all
        select
            {{ recomputed_columns | join(', ') }},
            false as is_recomputed,
            false as is_in_commit_group
        from {{ this }}
        where {{ stored_default_reach }} and not ({{ in_recomputed_commit_groups }})
    {%- endif %}

),

-- whether a run decides its workflow's colour on the default branch (a success or a failure there), and when
-- it ended: read by the default branch's order below and by the runs a recomputed run reads
runs as (

    select
        *,
        {{ in_default_order }} as is_in_default_order,
        coalesce(finished_at, started_at) as ended_at
    from kept_and_recomputed

),

-- the recomputed runs and the runs their classes read: every run of their commit groups (commit, branch and
-- workflow: reruns and flaky failures), and their reach on the default branch. A run read for one of the two
-- may sit in the other's order too, where it changes no recomputed run's class: a group's run on the default
-- branch outside the reach is before the run preceding the first recomputed one, or started after the reach's
-- pass had ended
context_runs as (

    select runs.*
    from runs
    left join default_reaches
        on
            runs.org_id = default_reaches.org_id
            and runs.repo_id = default_reaches.repo_id
            and runs.pipeline_name = default_reaches.pipeline_name
    where
        runs.is_recomputed
        or runs.is_in_commit_group
        -- unmatched (no recomputed run on its workflow's default branch): reach_from reads the default tuple,
        -- reach_until 1970 (join_use_nulls = 0): no run is in that reach
        or (
            runs.is_in_default_order
            and (runs.started_at, runs.run_id) >= default_reaches.reach_from
            and runs.started_at <= default_reaches.reach_until
        )

),

-- Rerun and flaky order runs of one commit, branch and workflow by start time, then run id: the same commit
-- pushed to a second branch builds again, but is no rerun (real runs show it: tests/fixtures/github/README.md).
-- A red period starts at a failure right after a pass (or the workflow's first run) on the default branch and
-- ends at the earliest end of a pass started after it (runs overlap: a pass started later can end first); one
-- still red has no end and no red time yet. One pass, two orders: no class is joined back
classified_runs as (

    select
        *,
        head_sha != '' and (row_number() over commit_order) > 1 as is_rerun,
        head_sha != ''
        and conclusion = 'failure'
        and (countIf(conclusion = 'success') over commit_later) > 0 as is_flaky,
        is_in_default_order
        and conclusion = 'failure'
        and (lagInFrame(conclusion, 1, '') over default_order) != 'failure' as starts_red_period,
        minOrNull(if(conclusion = 'success', ended_at, null)) over default_later as next_pass_ended_at
    from context_runs
    window
        commit_order as (
            partition by org_id, repo_id, pipeline_name, head_sha, branch order by started_at, run_id
        ),
        -- the runs after each one, read backwards: a frame that only grows
        commit_later as (
            partition by org_id, repo_id, pipeline_name, head_sha, branch order by started_at desc, run_id desc
            rows between unbounded preceding and 1 preceding
        ),
        default_order as (
            partition by org_id, repo_id, pipeline_name, is_in_default_order order by started_at, run_id
            rows between unbounded preceding and unbounded following
        ),
        default_later as (
            partition by org_id, repo_id, pipeline_name, is_in_default_order
            order by started_at desc, run_id desc
            rows between unbounded preceding and 1 preceding
        )

),

final as (

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
        toDate(started_at, 'UTC') as run_day,
        -- no conclusion yet: false
        coalesce(is_rerun, false) as is_rerun,
        coalesce(is_flaky, false) as is_flaky,
        coalesce(starts_red_period, false) as starts_red_period,
        if(starts_red_period, toNullable(ended_at), null) as red_started_at,
        if(starts_red_period, next_pass_ended_at, null) as red_ended_at,
        {{ built_at() }}
    from classified_runs
    where is_recomputed

)

select * from final
