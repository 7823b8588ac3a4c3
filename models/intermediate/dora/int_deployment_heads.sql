with

deployments as (

    select * from {{ ref('int_deployments_production') }}

),

commits as (

    select * from {{ ref('int_commits_unioned') }}

),

-- the deployed heads in git history as int_deployment_changes reads it: a commit with no author time, or one out
-- of the plausible range, is left out; one with no commit time takes its author time
head_commits as (

    select
        org_id,
        repo_id,
        commit_sha,
        assumeNotNull(coalesce(committed_at, authored_at)) as committed_at
    from commits
    where
        authored_at is not null
        and {{ is_plausible_time('authored_at') }}
        and commit_sha in (select deployed_sha from deployments)

),

-- the first production deployment of each head commit ships it through history
heads as (

    select
        deployments.org_id as org_id,
        deployments.repo_id as repo_id,
        deployments.deployed_sha as deployed_sha,
        -- one deployment's provider and id, whatever finishes at the same instant (as in int_change_lead_times)
        min((deployments.finished_at, deployments.provider, deployments.deployment_id)) as head_deployment,
        tupleElement(head_deployment, 2) as head_provider,
        tupleElement(head_deployment, 3) as head_deployment_id,
        any(head_commits.committed_at) as head_committed_at
    from deployments
    inner join head_commits
        on
            deployments.org_id = head_commits.org_id
            and deployments.repo_id = head_commits.repo_id
            and deployments.deployed_sha = head_commits.commit_sha
    group by deployments.org_id, deployments.repo_id, deployments.deployed_sha

),

heads_in_order as (

    select
        org_id,
        repo_id,
        head_provider,
        head_deployment_id,
        head_committed_at,
        lagInFrame(toNullable(head_committed_at)) over (
            -- heads committed at one instant (git times are to the second) in sha order, the same on every build
            partition by org_id, repo_id order by head_committed_at, deployed_sha
            rows between unbounded preceding and unbounded following
        ) as previous_head_committed_at,
        true as is_head
    from heads

),

final as (

    select
        deployments.org_id as org_id,
        deployments.provider as provider,
        deployments.repo_id as repo_id,
        deployments.deployment_id as deployment_id,
        deployments.deployed_sha as deployed_sha,
        deployments.finished_at as finished_at,
        -- an unmatched join reads false (join_use_nulls = 0): a deployment of a head deployed before, or of a
        -- commit not in history, ships only what it lists
        heads_in_order.is_head as is_head,
        if(is_head, toNullable(heads_in_order.head_committed_at), null) as head_committed_at,
        if(is_head, heads_in_order.previous_head_committed_at, null) as previous_head_committed_at,
        -- everything but history that the deployment's changes follow from (deployment_keys_to_recompute); the
        -- commits it lists are hashed, not kept: int_deployment_changes reads the few it recomputes from
        -- int_deployments_unioned, where a copy here was written for every deployment on every build
        cityHash64(toString(tuple(
            deployed_sha, deployments.shas, finished_at, is_head, head_committed_at, previous_head_committed_at
        ))) as inputs_hash
    from deployments
    left join heads_in_order
        on
            deployments.org_id = heads_in_order.org_id
            and deployments.repo_id = heads_in_order.repo_id
            and deployments.provider = heads_in_order.head_provider
            and deployments.deployment_id = heads_in_order.head_deployment_id

)

select * from final
