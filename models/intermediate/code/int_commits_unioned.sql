{#- a view: a union and a filter compute nothing a reader would not read anyway, and writing a million-row
    copy of staging on every build costs more than the readers' pass over the staging tables -#}
{{ config(materialized='view') }}

with

git_commits as (

    select * from {{ ref('stg_git__commits') }}

),

api_commits as (

    {{ union_staged('commits', ['github', 'gitlab']) }}

),

-- a local clone wins over the API: it has every commit's numstat and the branch's whole history. Only the
-- repositories the APIs name are looked up, which the clone's table finds through its primary key (2M commits:
-- 0.01 s, where listing every cloned repository took 0.05 s on each read of this view)
cloned_repos as (

    select distinct
        org_id,
        repo_id
    from git_commits
    where (org_id, repo_id) in (
        select
            org_id,
            repo_id
        from api_commits
    )

),

api_commits_not_cloned as (

    select *
    from api_commits
    where (org_id, repo_id) not in (
        select
            org_id,
            repo_id
        from cloned_repos
    )

),

-- a clone's lines are its numstat rows (commit_files), not columns of its commits
final as (

    {{ union_columns([
        'org_id', 'repo_id', 'commit_sha', '_dlt_load_id', '_staged_at', 'parent_shas', 'provider', 'repo_name',
        'is_merge', 'message_subject', 'author_name', 'author_email', 'committer_name', 'committer_email',
        'author_tz_offset_minutes', 'message_length', 'authored_at', 'committed_at', 'lines_added', 'lines_deleted'
    ], [
        ('git_commits', {
            'provider': "'git'",
            'lines_added': "cast(null, 'Nullable(Int64)')",
            'lines_deleted': "cast(null, 'Nullable(Int64)')",
        }),
        ('api_commits_not_cloned', {}),
    ]) }}

)

select * from final
