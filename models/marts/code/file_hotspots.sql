{{ config(order_by='(org_id, repo_id, path)', tags=['complexity']) }}

with

commit_files as (

    select * from {{ ref('int_commit_files_attributed') }}

),

final as (

    select
        org_id,
        repo_id,
        path,
        toUInt64(count()) as commits_count,
        toUInt64(sum(lines_added + lines_deleted)) as churn_lines,
        toUInt64(uniqExact(author_person_id)) as authors_count,
        max(authored_at) as last_changed_at
    from commit_files
    where not is_merge
    group by org_id, repo_id, path

)

select
    org_id,
    repo_id,
    path,
    commits_count,
    churn_lines,
    authors_count,
    -- many hands on much churn: where defects and coordination cost concentrate
    churn_lines * authors_count as hotspot_score,
    last_changed_at,
    now64(6, 'UTC') as computed_at
from final
