{{ config(order_by='(repo_id, day)', partition_by='toYYYYMM(day)') }}

with

commits as (

    select * from {{ ref('stg_git__commits') }}

),

non_merge_commits as (

    select
        repo_id,
        toDate(authored_at, 'UTC') as day,
        commit_sha,
        author_email
    from commits
    where not is_merge

),

final as (

    select
        repo_id,
        day,
        toUInt64(count()) as commits_count,
        toUInt64(uniqExact(author_email)) as authors_count
    from non_merge_commits
    group by repo_id, day

)

select
    repo_id,
    day,
    commits_count,
    authors_count
from final
