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

-- the runs they are classified among: those recomputed and, on an incremental build, the rest of this table,
-- untouched since their own build and so as int_ci_runs_unioned holds them (the pre-hook deleted the others):
-- a table read by a flag column, where int_ci_runs_unioned is a view read through the repositories
runs as (

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
        finished_at
    from recomputed_runs
    {%- if is_incremental() %}
        union all
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
            finished_at
        from {{ this }}
    {%- endif %}

),

-- every run of the recomputed runs' commit groups (commit, branch and workflow): a rerun is a run after the
-- group's first, a flaky failure one before a pass of the group. Runs with no head commit are neither
group_runs as (

    select * from runs
    {%- if not recomputes_everything() %}
        where
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
    {%- endif %}

),

-- Rerun and flaky order runs of one commit, branch and workflow by start time, then run id: the same commit
-- pushed to a second branch builds again, but is no rerun (real runs show it: tests/fixtures/github/README.md).
commit_classes as (

    select
        org_id,
        provider,
        repo_id,
        run_id,
        head_sha != '' and (row_number() over commit_order) > 1 as is_rerun,
        head_sha != ''
        and conclusion = 'failure'
        and (countIf(conclusion = 'success') over commit_later) > 0 as is_flaky
    from group_runs
    window
        commit_order as (
            partition by org_id, repo_id, pipeline_name, head_sha, branch order by started_at, run_id
        ),
        -- the runs after each one, read backwards: a frame that only grows
        commit_later as (
            partition by org_id, repo_id, pipeline_name, head_sha, branch order by started_at desc, run_id desc
            rows between unbounded preceding and 1 preceding
        )

),

-- the default branch's runs that decide its colour (success or failure), in start order per workflow
default_runs as (

    select
        org_id,
        provider,
        repo_id,
        run_id,
        pipeline_name,
        conclusion,
        started_at,
        (started_at, run_id) as position,
        coalesce(finished_at, started_at) as ended_at
    from runs
    where is_default_branch and conclusion in ('success', 'failure')

),

-- per workflow, the default-branch runs a recomputed run's colour reads: from the run before the first
-- recomputed one (its previous conclusion) to the runs started before the first pass after the last one had
-- ended (a pass started later ends later: no earlier end for a red period). On a full build, every run
recomputed_spans as (

    select
        org_id,
        repo_id,
        pipeline_name,
        min((started_at, run_id)) as first_recomputed,
        max((started_at, run_id)) as last_recomputed
    from recomputed_runs
    where is_default_branch and conclusion in ('success', 'failure')
    group by org_id, repo_id, pipeline_name

),

default_reaches as (

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
        ) as reach_until
    from default_runs
    inner join recomputed_spans
        on
            default_runs.org_id = recomputed_spans.org_id
            and default_runs.repo_id = recomputed_spans.repo_id
            and default_runs.pipeline_name = recomputed_spans.pipeline_name
    group by default_runs.org_id, default_runs.repo_id, default_runs.pipeline_name

),

default_context as (

    select default_runs.*
    from default_runs
    inner join default_reaches
        on
            default_runs.org_id = default_reaches.org_id
            and default_runs.repo_id = default_reaches.repo_id
            and default_runs.pipeline_name = default_reaches.pipeline_name
    where default_runs.position >= default_reaches.reach_from and default_runs.started_at <= default_reaches.reach_until

),

-- a red period starts at a failure right after a pass (or the workflow's first run) and ends at the earliest end
-- of a pass started after it (runs overlap: a pass started later can end first); one still red has no end and no
-- red time yet
default_classes as (

    select
        org_id,
        provider,
        repo_id,
        run_id,
        conclusion = 'failure' and (lagInFrame(conclusion, 1, '') over workflow_order) != 'failure'
            as starts_red_period,
        ended_at as red_started_at,
        minOrNull(if(conclusion = 'success', ended_at, null)) over workflow_later as red_ended_at
    from default_context
    window
        workflow_order as (
            partition by org_id, repo_id, pipeline_name order by started_at, run_id
            rows between unbounded preceding and unbounded following
        ),
        -- the runs after each one, read backwards: a frame that only grows
        workflow_later as (
            partition by org_id, repo_id, pipeline_name order by started_at desc, run_id desc
            rows between unbounded preceding and 1 preceding
        )

),

final as (

    select
        recomputed_runs.org_id as org_id,
        recomputed_runs.provider as provider,
        recomputed_runs.repo_id as repo_id,
        recomputed_runs.run_id as run_id,
        recomputed_runs.pipeline_name as pipeline_name,
        recomputed_runs.head_sha as head_sha,
        recomputed_runs.branch as branch,
        recomputed_runs.is_default_branch as is_default_branch,
        recomputed_runs.conclusion as conclusion,
        recomputed_runs.started_at as started_at,
        recomputed_runs.finished_at as finished_at,
        recomputed_runs.queued_seconds as queued_seconds,
        toDate(recomputed_runs.started_at, 'UTC') as run_day,
        -- unmatched (no head commit; not on the default branch) or unknown (no conclusion yet): false
        coalesce(commit_classes.is_rerun, false) as is_rerun,
        coalesce(commit_classes.is_flaky, false) as is_flaky,
        coalesce(default_classes.starts_red_period, false) as starts_red_period,
        if(starts_red_period, toNullable(default_classes.red_started_at), null) as red_started_at,
        if(starts_red_period, default_classes.red_ended_at, null) as red_ended_at,
        {{ built_at() }}
    from recomputed_runs
    left join commit_classes
        on
            recomputed_runs.org_id = commit_classes.org_id
            and recomputed_runs.provider = commit_classes.provider
            and recomputed_runs.repo_id = commit_classes.repo_id
            and recomputed_runs.run_id = commit_classes.run_id
    left join default_classes
        on
            recomputed_runs.org_id = default_classes.org_id
            and recomputed_runs.provider = default_classes.provider
            and recomputed_runs.repo_id = default_classes.repo_id
            and recomputed_runs.run_id = default_classes.run_id

)

select * from final
