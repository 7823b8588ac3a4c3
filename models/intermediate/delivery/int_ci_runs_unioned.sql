{#- a view: one keyed model reads it (int_ci_runs_classified), the runs it recomputes and their neighbours,
    and the union and a filter cost it less than a million-row copy written every build -#}
{{ config(materialized='view') }}

with

github_runs as (

    select * from {{ ref('stg_github__ci_runs') }}

),

gitlab_runs as (

    select * from {{ ref('stg_gitlab__ci_runs') }}

),

-- only GitHub's runs carry an attempt and a creation time (the GitLab pipeline list has no start time apart from
-- its creation)
runs as (

    {{ union_columns([
        'org_id', 'provider', 'repo_id', 'run_id', 'pipeline_name', 'head_sha', 'branch', 'conclusion', 'started_at',
        'finished_at', 'created_at', 'run_attempt', '_staged_at'
    ], [
        ('github_runs', {}),
        ('gitlab_runs', {
            'created_at': "cast(null, 'Nullable(DateTime64(6, ''UTC''))')",
            'run_attempt': "cast(null, 'Nullable(Int64)')",
        }),
    ]) }}

),

final as (

    select
        runs.org_id as org_id,
        runs.provider as provider,
        runs.repo_id as repo_id,
        runs.run_id as run_id,
        coalesce(runs.pipeline_name, '') as pipeline_name,
        coalesce(runs.head_sha, '') as head_sha,
        coalesce(runs.branch, '') as branch,
        runs.conclusion as conclusion,
        -- runs without a start are left out below
        assumeNotNull(runs.started_at) as started_at,
        runs.finished_at as finished_at,
        -- a GitHub re-run keeps its first attempt's created_at, so only attempt 1 waited from created_at to its
        -- start; a creation after the start (GitHub's attempt endpoint gives one) is no wait either
        if(
            runs.run_attempt = 1 and runs.created_at <= runs.started_at,
            dateDiff('microsecond', runs.created_at, runs.started_at) / 1000000,
            null
        ) as queued_seconds,
        runs._staged_at as _staged_at
    from runs
    where
        runs.started_at is not null
        and {{ is_plausible_time('runs.started_at') }}
        and {{ is_plausible_time('runs.finished_at') }}

)

select * from final
