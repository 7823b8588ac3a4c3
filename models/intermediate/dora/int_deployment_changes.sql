{#- keyed (recompute_keys): a refresh recomputes the deployments deployment_keys_to_recompute names, not every
    change ever shipped -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, provider, deployment_id, commit_sha)',
    pre_hook=[
        "{{ recompute_keys(deployment_keys_to_recompute(), ['org_id', 'provider', 'repo_id', 'deployment_id']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

-- depends_on: {{ ref('stg_git__commit_tombstones') }}, {{ ref('stg_git__commits') }}
-- depends_on: {{ ref('stg_github__commits') }}, {{ ref('stg_gitlab__commits') }}

with

deployments as (

    select * from {{ ref('int_deployment_heads') }}
    {{- where_recomputed(['org_id', 'provider', 'repo_id', 'deployment_id']) }}

),

-- the commits each recomputed deployment lists, as staging holds them (int_deployment_heads, built on
-- int_deployments_production, a filter of these rows, keeps their hash only)
deployment_lists as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        shas
    from {{ ref('int_deployments_unioned') }}
    {{- where_recomputed(['org_id', 'provider', 'repo_id', 'deployment_id']) }}

),

-- git history as the commit metrics read it (a commit with no author time, or one out of the plausible range, is
-- left out; one with no commit time takes its author time). A deployment ships history after the head before it:
-- older commits are shipped by none of these deployments.
history as (

    select * from {{ ref('int_commits_enriched') }}
    where committed_at > (select min(previous_head_committed_at) from deployments)

),

-- a deployment ships the commits it lists and its head
listed_commits as (

    select
        deployments.org_id as org_id,
        deployments.provider as provider,
        deployments.repo_id as repo_id,
        deployments.deployment_id as deployment_id,
        deployments.finished_at as finished_at,
        deployments.inputs_hash as inputs_hash,
        -- one row each: int_deployment_heads holds a row per production deployment; unmatched reads an empty list
        arrayDistinct(arrayFilter(
            sha -> sha != '', arrayPushBack(deployment_lists.shas, deployments.deployed_sha)
        )) as listed_shas
    from deployments
    left join deployment_lists using (org_id, provider, repo_id, deployment_id)

),

listed as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        finished_at,
        commit_sha,
        inputs_hash,
        'listed' as link_source
    from listed_commits
    array join listed_shas as commit_sha

),

-- the heads among the deployments recomputed, in the order of all heads (int_deployment_heads): a commit between
-- two heads that are not recomputed meets a later head here, past its previous head, and is left out
heads as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        finished_at,
        inputs_hash,
        assumeNotNull(head_committed_at) as head_committed_at,
        previous_head_committed_at
    from deployments
    -- a head sharing its predecessor's commit time (ordered after it by sha) has an empty stretch: left out, so
    -- a commit meets the same head whichever heads are recomputed
    where is_head and previous_head_committed_at < head_committed_at

),

-- where git history is loaded, a deployment ships the commits after the previous deployed head up to its own
-- head; before the first known head the history is unbounded, so the first deployment ships only what it lists
between_heads as (

    select
        history.org_id as org_id,
        heads.provider as provider,
        history.repo_id as repo_id,
        heads.deployment_id as deployment_id,
        heads.finished_at as finished_at,
        history.commit_sha as commit_sha,
        heads.inputs_hash as inputs_hash,
        'git_history' as link_source
    -- sqlfluff's ClickHouse dialect does not know ASOF joins and reads `asof` as a table alias
    from history asof inner join heads  -- noqa: AL01, AL05
        on
            history.org_id = heads.org_id
            and history.repo_id = heads.repo_id
            and history.committed_at <= heads.head_committed_at
    where
        not history.is_merge
        and heads.previous_head_committed_at is not null
        and history.committed_at > heads.previous_head_committed_at

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
        min(link_source) as link_source,
        any(inputs_hash) as _deployment_inputs,
        {{ built_at() }}
    from unioned
    group by org_id, provider, repo_id, deployment_id, commit_sha

)

select * from final
