with

deployments as (

    select * from {{ ref('int_deployments_production') }}

),

commits as (

    select * from {{ ref('int_commits_unioned') }}

),

-- git history as the commit metrics read it, without identity resolution or file totals: a commit with no
-- author time, or one out of the plausible range, is left out; one with no commit time takes its author time
history as (

    select
        org_id,
        repo_id,
        commit_sha,
        is_merge,
        assumeNotNull(coalesce(committed_at, authored_at)) as committed_at
    from commits
    where authored_at is not null and {{ is_plausible_time('authored_at') }}

),

listed as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        finished_at,
        commit_sha,
        'listed' as link_source
    from deployments
    array join arrayDistinct(arrayFilter(sha -> sha != '', arrayPushBack(shas, deployed_sha))) as commit_sha

),

-- the first production deployment of each head commit, with the head's commit time from git history
heads as (

    select
        deployments.org_id as org_id,
        deployments.repo_id as repo_id,
        deployments.deployed_sha as deployed_sha,
        -- one deployment's provider and id, whatever finishes at the same instant (as in int_change_lead_times)
        min((deployments.finished_at, deployments.provider, deployments.deployment_id)) as head_deployment,
        tupleElement(head_deployment, 2) as head_provider,
        tupleElement(head_deployment, 3) as head_deployment_id,
        tupleElement(head_deployment, 1) as head_finished_at,
        any(history.committed_at) as head_committed_at
    from deployments
    inner join history
        on
            deployments.org_id = history.org_id
            and deployments.repo_id = history.repo_id
            and deployments.deployed_sha = history.commit_sha
    group by deployments.org_id, deployments.repo_id, deployments.deployed_sha

),

heads_in_order as (

    select
        org_id,
        repo_id,
        head_provider,
        head_deployment_id,
        head_finished_at,
        head_committed_at,
        lagInFrame(toNullable(head_committed_at)) over (
            partition by org_id, repo_id order by head_committed_at
            rows between unbounded preceding and unbounded following
        ) as previous_head_committed_at
    from heads

),

-- where git history is loaded, a deployment ships the commits after the previous deployed head up to its own
-- head; before the first known head the history is unbounded, so the first deployment ships only what it lists
between_heads as (

    select
        history.org_id as org_id,
        heads_in_order.head_provider as provider,
        history.repo_id as repo_id,
        heads_in_order.head_deployment_id as deployment_id,
        heads_in_order.head_finished_at as finished_at,
        history.commit_sha as commit_sha,
        'git_history' as link_source
    -- sqlfluff's ClickHouse dialect does not know ASOF joins and reads `asof` as a table alias
    from history asof inner join heads_in_order  -- noqa: AL01, AL05
        on
            history.org_id = heads_in_order.org_id
            and history.repo_id = heads_in_order.repo_id
            and history.committed_at <= heads_in_order.head_committed_at
    where
        not history.is_merge
        and heads_in_order.previous_head_committed_at is not null
        and history.committed_at > heads_in_order.previous_head_committed_at

),

unioned as (

    select * from listed
    union all
    select * from between_heads

),

final as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        commit_sha,
        min(finished_at) as deployment_finished_at,
        min(link_source) as link_source
    from unioned
    group by org_id, provider, repo_id, deployment_id, commit_sha

)

select * from final
