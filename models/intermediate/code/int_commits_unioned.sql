{#- a view: a union and a filter compute nothing a reader would not read anyway, and writing a million-row
    copy of staging on every build costs more than the readers' pass over the staging tables -#}
{{ config(materialized='view') }}

with

git_commits as (

    select * from {{ ref('stg_git__commits') }}

),

github_commits as (

    select * from {{ ref('stg_github__commits') }}

),

gitlab_commits as (

    select * from {{ ref('stg_gitlab__commits') }}

),

-- a local clone wins over the API: it has every commit's numstat and the branch's whole history
cloned_repos as (

    select distinct
        org_id,
        repo_id
    from git_commits

),

api_commits as (

    {{ union_by_name([('github_commits', 'stg_github__commits'), ('gitlab_commits', 'stg_gitlab__commits')]) }}

),

final as (

    select
        org_id,
        repo_id,
        commit_sha,
        _dlt_load_id,
        _staged_at,
        parent_shas,
        'git' as provider,
        repo_name,
        is_merge,
        message_subject,
        author_name,
        author_email,
        committer_name,
        committer_email,
        author_tz_offset_minutes,
        message_length,
        authored_at,
        committed_at,
        -- a clone's lines are its numstat rows (commit_files)
        cast(null, 'Nullable(Int64)') as lines_added,
        cast(null, 'Nullable(Int64)') as lines_deleted
    from git_commits
    union all
    select
        org_id,
        repo_id,
        commit_sha,
        _dlt_load_id,
        _staged_at,
        parent_shas,
        provider,
        repo_name,
        is_merge,
        message_subject,
        author_name,
        author_email,
        committer_name,
        committer_email,
        author_tz_offset_minutes,
        message_length,
        authored_at,
        committed_at,
        lines_added,
        lines_deleted
    from api_commits
    where (org_id, repo_id) not in (
        select
            org_id,
            repo_id
        from cloned_repos
    )

)

select * from final
