{{ config(
    order_by='(org_id, repo_id, pr_number)'
) }}

with

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}

),

change_lead_times as (

    select * from {{ ref('int_change_lead_times') }}

),

merged as (

    select
        org_id,
        repo_id,
        pr_number,
        provider,
        author_person_id,
        first_commit_at,
        opened_at,
        first_review_at,
        assumeNotNull(merged_at) as pr_merged_at,
        coalesce(merge_commit_sha, '') as merge_sha,
        coalesce(head_sha, '') as pr_head_sha,
        additions,
        deletions,
        changed_files
    from pull_requests
    where merged_at is not null

),

final as (

    select
        merged.org_id as org_id,
        merged.repo_id as repo_id,
        merged.pr_number as pr_number,
        merged.provider as provider,
        merged.author_person_id as author_person_id,
        toDate(merged.pr_merged_at, 'UTC') as merged_day,
        merged.pr_merged_at as merged_at,
        -- the merge commit reaches production, or (merge commits not being linked to deployments through git
        -- history, and squash or fast-forward merges) the pull request's head commit does
        multiIf(
            merge_deployments.commit_sha != '', merge_deployments.first_deployed_at,
            head_deployments.commit_sha != '', head_deployments.first_deployed_at,
            null
        ) as deployed_at,
        -- each stage is NULL when its start or end is unknown or out of order
        {{ elapsed('merged.first_commit_at', 'merged.opened_at', 'hour') }} as coding_hours,
        {{ elapsed('merged.opened_at', 'merged.first_review_at', 'hour') }} as pickup_hours,
        if(
            merged.first_review_at between merged.opened_at and merged.pr_merged_at,
            {{ hours_between('merged.first_review_at', 'merged.pr_merged_at') }}, null
        ) as review_hours,
        {{ elapsed('merged.pr_merged_at', 'deployed_at', 'hour') }} as deploy_hours,
        {{ elapsed('merged.opened_at', 'merged.pr_merged_at', 'hour') }} as cycle_hours,
        merged.additions as additions,
        merged.deletions as deletions,
        merged.changed_files as changed_files,
        -- NULL when the provider gives no size (GitLab; GitHub without the pull request's detail)
        merged.additions + merged.deletions as lines_changed,
        -- an unknown size is not large
        coalesce(lines_changed > {{ var('large_pr_lines') }}, 0) as is_large,
        now64(6, 'UTC') as computed_at
    from merged
    left join change_lead_times as merge_deployments
        on
            merged.org_id = merge_deployments.org_id
            and merged.repo_id = merge_deployments.repo_id
            and merged.merge_sha = merge_deployments.commit_sha
    left join change_lead_times as head_deployments
        on
            merged.org_id = head_deployments.org_id
            and merged.repo_id = head_deployments.repo_id
            and merged.pr_head_sha = head_deployments.commit_sha

)

select * from final
-- periods older than raw retention keep the rows they had: their inputs have expired from raw
where {{ within_retention("merged_day") }}
{{ rows_past_retention("merged_day") }}
