with

commit_files as (

    select * from {{ ref('int_commit_files_unioned') }}

),

commits as (

    select * from {{ ref('int_commits_enriched') }}

),

final as (

    select
        commit_files.org_id as org_id,
        commit_files.repo_id as repo_id,
        commit_files.commit_sha as commit_sha,
        commit_files.path as path,
        commit_files.change_type as change_type,
        toUInt64(coalesce(commit_files.lines_added, 0)) as lines_added,
        toUInt64(coalesce(commit_files.lines_deleted, 0)) as lines_deleted,
        commits.is_merge as is_merge,
        commits.author_person_id as author_person_id,
        commits.authored_at as authored_at
    from commit_files
    inner join commits using (org_id, repo_id, commit_sha)

)

select * from final
