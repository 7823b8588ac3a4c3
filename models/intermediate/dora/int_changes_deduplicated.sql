{#- keyed (recompute_keys): a refresh recomputes the commits change_keys_to_recompute names, not every change -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha)',
    pre_hook=[
        "{{ recompute_keys(change_keys_to_recompute(), ['org_id', 'repo_id', 'commit_sha']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

-- depends_on: {{ ref('stg_git__commit_tombstones') }}, {{ ref('stg_git__commits') }}
-- depends_on: {{ ref('stg_github__commits') }}, {{ ref('stg_gitlab__commits') }}

with

events_changes_with_repo as (

    select * from ({{ change_events_with_repo() }})
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

pr_commits as (

    select * from {{ ref('int_pr_commits_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

-- git history as the commit metrics read it: commits with an author time in the plausible range
commits as (

    select * from {{ ref('int_commits_enriched') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

-- an explicit change event knows best when the change was made, then git history, then the PR's commits. A git
-- commit was made by its commit time at the latest: an author time after it is an author's clock ahead (rails,
-- 642880819b: authored 2017-08-02, committed 2017-02-17, released 2017-02-23)
candidates as (

    {{ union_columns([
        'org_id', 'repo_id', 'commit_sha', 'created_at', 'author_email', 'change_source', 'source_rank'
    ], [
        ('events_changes_with_repo', {'change_source': "'events'", 'source_rank': 1}),
        ('commits', {'created_at': 'least(authored_at, committed_at)', 'change_source': "'git'", 'source_rank': 2}),
        ('pr_commits', {'created_at': 'authored_at', 'change_source': 'provider', 'source_rank': 3}),
    ]) }}

),

final as (

    select
        org_id,
        repo_id,
        commit_sha,
        -- the most trusted source, and among its rows (two events for one commit) the earliest: the same row on
        -- every build, as a keyed table recomputes a commit only when its inputs change
        assumeNotNull(argMin(created_at, (source_rank, created_at))) as change_created_at,
        argMin(author_email, (source_rank, created_at)) as change_author_email,
        argMin(change_source, (source_rank, created_at)) as change_source_name
    from candidates
    where created_at is not null and commit_sha != '' and {{ is_plausible_time('created_at') }}
    group by org_id, repo_id, commit_sha

)

select
    org_id,
    repo_id,
    commit_sha,
    change_created_at as created_at,
    change_author_email as author_email,
    change_source_name as change_source,
    {{ built_at() }}
from final
