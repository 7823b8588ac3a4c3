{#- a view, as int_commits_unioned: its two readers read every row once, and a copy of staging's file rows
    would be written on every build -#}
{{ config(materialized='view') }}

with

git_commit_files as (

    select * from {{ ref('stg_git__commit_files') }}

),

github_commit_files as (

    select * from {{ ref('stg_github__commit_files') }}

),

commits as (

    select * from {{ ref('int_commits_unioned') }}

),

-- the files of the commits int_commits_unioned keeps: a clone's own, else those the GitHub API gave
api_files as (

    select *
    from github_commit_files
    where (org_id, repo_id, commit_sha) in (
        select
            org_id,
            repo_id,
            commit_sha
        from commits
        where provider = 'github'
    )

),

final as (

    {{ union_by_name([('git_commit_files', 'stg_git__commit_files'), ('api_files', 'stg_github__commit_files')]) }}

)

-- the union's columns are the staging model's (union_by_name)
-- noqa: disable=AM04
select * from final
