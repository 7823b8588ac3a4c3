{#- keyed (recompute_keys), as the intermediates it reads: a refresh recomputes the pull requests
    pr_cycle_keys_to_recompute names, not every merge in history. A plain incremental table on a cluster too
    (replicated, as the keyed intermediates): its pre-hook deletes by key. A row counts on its merge day
    (deleted_days: pr_cycle_trailing_4_weeks recomputes the windows of the days it wrote or deleted). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, pr_number)',
    deleted_days='[merged_day]',
    pre_hook=[
        "{{ recompute_keys(pr_cycle_keys_to_recompute(), ['org_id', 'repo_id', 'pr_number']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

with

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}
    {{- where_recomputed(['org_id', 'repo_id', 'pr_number']) }}

),

-- on a refresh, the lead times of the commits the pull requests above may ship by: a few rows of millions
change_lead_times as (

    select * from {{ ref('int_change_lead_times') }}
    {%- if not recomputes_everything() %}
        where commit_sha in (
            select coalesce(merge_commit_sha, '') from pull_requests
            union all
            select coalesce(head_sha, '') from pull_requests
        )
    {%- endif %}

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

-- the two commits a merged pull request may reach production by, a row each: one join with the lead times finds
-- both, where a join per commit hashes every lead time twice (604,128 pull requests and 2.08M lead times: the
-- model in 2.1 s against 2.4-3.0 s)
candidate_commits as (

    select
        org_id,
        repo_id,
        pr_number,
        tupleElement(candidate, 1) as is_merge_commit,
        tupleElement(candidate, 2) as commit_sha
    from merged
    array join [(true, merge_sha), (false, pr_head_sha)] as candidate

),

candidate_lead_times as (

    select
        candidate_commits.org_id as org_id,
        candidate_commits.repo_id as repo_id,
        candidate_commits.pr_number as pr_number,
        candidate_commits.is_merge_commit as is_merge_commit,
        -- unmatched: the lead time's commit_sha reads '' (join_use_nulls = 0); a commit's own sha is never ''
        change_lead_times.commit_sha != '' as has_lead_time,
        change_lead_times.first_deployed_at as first_deployed_at
    from candidate_commits
    left join change_lead_times
        on
            candidate_commits.org_id = change_lead_times.org_id
            and candidate_commits.repo_id = change_lead_times.repo_id
            and candidate_commits.commit_sha = change_lead_times.commit_sha

),

first_deployments as (

    select
        org_id,
        repo_id,
        pr_number,
        -- an aggregate whose condition no row meets reads its type's default: the *_known flags tell
        maxIf(has_lead_time, is_merge_commit) as merge_commit_known,
        anyIf(first_deployed_at, is_merge_commit and has_lead_time) as merge_commit_deployed_at,
        maxIf(has_lead_time, not is_merge_commit) as head_commit_known,
        anyIf(first_deployed_at, not is_merge_commit and has_lead_time) as head_commit_deployed_at
    from candidate_lead_times
    group by org_id, repo_id, pr_number

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
            first_deployments.merge_commit_known, first_deployments.merge_commit_deployed_at,
            first_deployments.head_commit_known, first_deployments.head_commit_deployed_at,
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
        now64(6, 'UTC') as computed_at,
        {{ built_at() }}
    from merged
    inner join first_deployments using (org_id, repo_id, pr_number)

)

select * from final
-- periods older than raw retention keep the rows they had (their inputs have expired from raw): none is
-- recomputed (pr_cycle_keys_to_recompute), and none is appended there again
where {{ within_retention("merged_day") }}
