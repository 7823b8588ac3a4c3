{#- keyed (recompute_keys): a refresh recomputes the files of the commits commit_file_keys_to_recompute names -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha, path)',
    pre_hook=[
        "{{ recompute_keys(commit_file_keys_to_recompute(), ['org_id', 'repo_id', 'commit_sha']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

-- depends_on: {{ ref('stg_git__commit_tombstones') }}, {{ ref('stg_git__commits') }}
-- depends_on: {{ ref('stg_github__commits') }}, {{ ref('stg_gitlab__commits') }}
-- depends_on: {{ ref('stg_git__commit_files') }}, {{ ref('stg_github__commit_files') }}

with

commit_files as (

    select * from {{ ref('int_commit_files_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

commits as (

    select * from {{ ref('int_commits_enriched') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

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
        commits.authored_at as authored_at,
        {{ built_at() }}
    from commit_files
    inner join commits using (org_id, repo_id, commit_sha)

)

select * from final
