{#- What int_ci_runs_classified recomputes (recompute_keys), by run: the runs whose class can have changed.
    A run is touched when it was staged since the table's last build (new, updated, or now left out of
    int_ci_runs_unioned), when its start or finish has come within the plausible range since
    (is_plausible_time), or when its stored default-branch flag is not what the repositories' default branches
    give now. A touched run's old row (this table's) and new one (int_ci_runs_unioned's) both count. Then:
    - every run of a touched run's commit group (commit, branch and workflow): reruns and flaky failures read it;
    - on the default branch of each workflow, every success or failure from the last pass before its first touched
      run that ended no later than any touched pass, to the first run after its last touched one: a red period
      ends at the earliest end of a pass started after its failure, so a touched pass can end the periods of the
      failures since such a pass (passes overlap: one started later can finish first), and a touched run changes
      the previous conclusion of the run after it. Per workflow, one span: a late run a year back recomputes that
      year of the workflow's default branch. -#}
{% macro ci_run_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set runs = ref('int_ci_runs_unioned') -%}
    {%- set newly_plausible = since ~ ' + toIntervalHour(' ~ var('future_tolerance_hours') ~ ')' -%}
    {%- set keys = ['org_id', 'provider', 'repo_id', 'run_id'] -%}
    {#- a touched run's place: its commit group, and whether and where it is on its workflow's default branch -#}
    {%- set place = 'org_id, provider, repo_id, run_id, pipeline_name, head_sha, branch, conclusion, '
        ~ '(started_at, run_id) as position, coalesce(finished_at, started_at) as ended_at' -%}
    {%- set default_branches -%}
        default_branches as (
            {{ repository_default_branches(ref('stg_github__repositories'), ref('stg_gitlab__repositories')) }}
        )
    {%- endset -%}
    {#- the touched runs' keys, then their old and new rows, each read through one scalar subquery
        (rows_computed_once): a CTE is computed again at each reference, and the statement reads the rows four
        times (1M commits, a day's runs touched: the statement took 2.1 s with CTEs, 0.65 s so) -#}
    {%- set touched_keys -%}
        with

        {{ default_branches }}

        select {{ keys | join(', ') }} from {{ runs }}
        where
            (_staged_at > {{ since }} and _staged_at <= {{ until }})
            or started_at > {{ newly_plausible }}
            or finished_at > {{ newly_plausible }}
        union all
        select {{ keys | join(', ') }} from {{ this }}
        where is_default_branch != {{ is_default_branch_run('default_branches') }}
    {%- endset -%}
    {%- set touched -%}
        with

        {{ default_branches }},

        touched_keys as (
            {{ rows_computed_once(touched_keys, keys) }}
        )

        select {{ place }}, {{ is_default_branch_run('default_branches') }} as is_default_branch
        from {{ runs }}
        where {{ in_recompute_keys(keys, 'touched_keys') }}
        union all
        select {{ place }}, is_default_branch from {{ this }}
        where {{ in_recompute_keys(keys, 'touched_keys') }}
    {%- endset -%}
    {%- set reaches -%}
            select
                org_id,
                repo_id,
                pipeline_name,
                maxIf(default_runs.position, default_runs.conclusion = 'success'
                    and default_runs.position < touched_spans.first_touched
                    and (not touched_spans.touches_a_pass or default_runs.ended_at <= touched_spans.earliest_pass_end)
                ) as reach_from,
                if(
                    countIf(default_runs.position > touched_spans.last_touched) = 0,
                    touched_spans.last_touched,
                    minIf(default_runs.position, default_runs.position > touched_spans.last_touched)
                ) as reach_to
            from default_runs
            inner join touched_spans using (org_id, repo_id, pipeline_name)
            group by
                org_id, repo_id, pipeline_name, touched_spans.last_touched
    {%- endset -%}
    {%- set changed -%}
        with

        touched as (
            {{ rows_computed_once(touched, keys + [
                'pipeline_name', 'head_sha', 'branch', 'conclusion', 'position', 'ended_at', 'is_default_branch'
            ]) }}
        ),

        -- the default branches' runs as this table holds them, and the touched ones as they are now: the runs
        -- before the first touched one and after the last one, which the reaches read, are untouched, and this
        -- table holds them as int_ci_runs_unioned does (read through its flag, not through the repositories).
        -- The stored ones from a month before the first touched run's day: a reach starts at the latest pass
        -- it can, so one found in the month is the one the whole history gives (the table orders runs by day,
        -- and its primary key skips the days before); a workflow with none there (red for a month, or new)
        -- reaches back to its first run, the superset of its reach, which the read below bounds again (2M
        -- commits, a day's runs: the reaches read 1.34M stored runs, of which 16k in the month)
        default_runs as (
            select org_id, provider, repo_id, run_id, pipeline_name, conclusion, (started_at, run_id) as position,
                coalesce(finished_at, started_at) as ended_at
            from {{ this }}
            where
                is_default_branch
                and conclusion in ('success', 'failure')
                and run_day >= (
                    select coalesce(
                        toDate(minOrNull(tupleElement(first_touched, 1)), 'UTC') - toIntervalDay(31),
                        toDate('2149-06-06')
                    )
                    from touched_spans
                )
            union all
            select org_id, provider, repo_id, run_id, pipeline_name, conclusion, position, ended_at
            from touched
            where is_default_branch and conclusion in ('success', 'failure')
        ),

        touched_spans as (
            select
                org_id, repo_id, pipeline_name, min(position) as first_touched, max(position) as last_touched,
                -- the earliest end of a touched pass, old or new (none: after every run)
                minIf(ended_at, conclusion = 'success') as earliest_pass_end,
                countIf(conclusion = 'success') > 0 as touches_a_pass
            from touched
            where is_default_branch and conclusion in ('success', 'failure')
            group by org_id, repo_id, pipeline_name
        ),

        -- from the last pass before the first touched run that ended no later than every touched pass (none: the
        -- workflow's first run) to the first run after the last one (none: its latest)
        reaches as (
            {{ rows_computed_once(reaches, ['org_id', 'repo_id', 'pipeline_name', 'reach_from', 'reach_to']) }}
        )

        select org_id, provider, repo_id, run_id from touched
        union all
        -- the untouched runs of the touched commit groups (the touched ones are above)
        select org_id, provider, repo_id, run_id from {{ this }}
        where
            head_sha in (select head_sha from touched where head_sha != '')
            and (org_id, repo_id, pipeline_name, head_sha, branch) in (
                select org_id, repo_id, pipeline_name, head_sha, branch from touched where head_sha != ''
            )
        union all
        select default_runs.org_id, default_runs.provider, default_runs.repo_id, default_runs.run_id
        from (
            -- the stored ones from the day the earliest reach starts (with no reach, none): the table is ordered by
            -- day, and its primary key skips the days before, where a second pass over every stored run cost as
            -- much as the first
            select org_id, provider, repo_id, run_id, pipeline_name, (started_at, run_id) as position
            from {{ this }}
            where
                is_default_branch
                and conclusion in ('success', 'failure')
                and run_day >= (
                    select coalesce(toDate(minOrNull(tupleElement(reach_from, 1)), 'UTC'), toDate('2149-06-06'))
                    from reaches
                )
            union all
            select org_id, provider, repo_id, run_id, pipeline_name, position
            from touched
            where is_default_branch and conclusion in ('success', 'failure')
        ) as default_runs
        inner join reaches using (org_id, repo_id, pipeline_name)
        where default_runs.position >= reaches.reach_from and default_runs.position <= reaches.reach_to
    {%- endset -%}
    {{ return({'changed': changed, 'stale': 'false', 'built_at': until}) }}
{%- endmacro %}
