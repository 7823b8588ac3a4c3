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

    select
        org_id,
        repo_id,
        commit_sha,
        path,
        _dlt_load_id,
        old_path,
        change_type,
        is_binary,
        lines_added,
        lines_deleted
    from git_commit_files
    union all
    select
        org_id,
        repo_id,
        commit_sha,
        path,
        _dlt_load_id,
        old_path,
        change_type,
        is_binary,
        lines_added,
        lines_deleted
    from api_files

)

select * from final
