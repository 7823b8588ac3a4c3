with

github_runs as (

    select * from {{ ref('stg_github__ci_runs') }}

),

gitlab_runs as (

    select * from {{ ref('stg_gitlab__ci_runs') }}

),

github_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

gitlab_repositories as (

    select * from {{ ref('stg_gitlab__repositories') }}

),

runs as (

    {{ union_by_name([
        ('github_runs', 'stg_github__ci_runs'),
        ('gitlab_runs', 'stg_gitlab__ci_runs')
    ]) }}

),

-- a repository named by both providers (a mirror) takes the greater name; one provider names it almost always
default_branches as (

    select
        org_id,
        repo_id,
        max(coalesce(default_branch, '')) as default_branch
    from (
        select
            org_id,
            repo_id,
            default_branch
        from github_repositories
        union all
        select
            org_id,
            repo_id,
            default_branch
        from gitlab_repositories
    ) as repositories
    group by org_id, repo_id

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
        -- unmatched: default_branch reads '' (join_use_nulls = 0), so a repository of unknown default branch has none
        default_branches.default_branch != '' and runs.branch = default_branches.default_branch as is_default_branch,
        runs.conclusion as conclusion,
        -- runs without a start are left out below
        assumeNotNull(runs.started_at) as started_at,
        runs.finished_at as finished_at,
        -- no run carries its wait yet: raw keeps no creation time (GitHub's created_at is the first attempt's, so
        -- its gap to run_started_at spans re-runs), and the GitLab pipeline list has no start (its detail does)
        cast(null, 'Nullable(Float64)') as queued_seconds
    from runs
    left join default_branches
        on
            runs.org_id = default_branches.org_id
            and runs.repo_id = default_branches.repo_id
    where
        runs.started_at is not null
        and {{ is_plausible_time('runs.started_at') }}
        and {{ is_plausible_time('runs.finished_at') }}

)

select * from final
