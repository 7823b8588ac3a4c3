-- noqa: disable=RF03
-- (sqlfluff reads lambda parameters as unqualified columns)
with

deployments as (

    select * from {{ ref('int_deployments_production') }}

),

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

deployment_changes as (

    select * from {{ ref('int_deployment_changes') }}

),

commit_candidates as (

    select * from {{ ref('int_commit_rework_candidates') }}

),

-- each rule of seed rework_link_rules is applied where its entity is: to commit subjects (revert, hotfix and the
-- references, kept only while the bug rule is on), to work items (is_bug), to incidents (their window)
work_items as (

    select * from {{ ref('int_work_items_lifecycle') }}

),

bug_work_items as (

    select
        work_items.org_id as org_id,
        if(match(work_items.work_item_key, '#[0-9]+$'), coalesce(work_items.repo_id, ''), '') as reference_repo_id,
        if(
            match(work_items.work_item_key, '#[0-9]+$'),
            extract(work_items.work_item_key, '#[0-9]+$'),
            work_items.work_item_key
        ) as reference,
        work_items.work_item_key as work_item_key
    from work_items
    where work_items.is_bug

),

commit_candidate_rows as (

    select
        org_id,
        repo_id,
        commit_sha,
        candidate.1 as candidate_type,
        candidate.2 as reference_repo_id,
        candidate.3 as reference
    from commit_candidates
    array join candidates as candidate

),

-- one row per commit and link: its revert or hotfix (the commit itself), or a bug work item it names
commit_links as (

    select
        commit_candidate_rows.org_id as org_id,
        commit_candidate_rows.repo_id as repo_id,
        commit_candidate_rows.commit_sha as commit_sha,
        if(
            commit_candidate_rows.candidate_type = 'reference', 'bug_work_item', commit_candidate_rows.candidate_type
        ) as link_type,
        if(
            commit_candidate_rows.candidate_type = 'reference',
            bug_work_items.work_item_key,
            commit_candidate_rows.reference
        ) as linked_id
    from commit_candidate_rows
    -- unmatched references read an empty key (join_use_nulls = 0) and are dropped below
    left join bug_work_items using (org_id, reference_repo_id, reference)
    where commit_candidate_rows.candidate_type != 'reference' or bug_work_items.work_item_key != ''

),

-- the links of the commits each deployment ships
shipped_links as (

    select
        deployment_changes.org_id as org_id,
        deployment_changes.provider as provider,
        deployment_changes.repo_id as repo_id,
        deployment_changes.deployment_id as deployment_id,
        commit_links.link_type as link_type,
        commit_links.linked_id as linked_id
    from deployment_changes
    inner join commit_links using (org_id, repo_id, commit_sha)

),

-- a deployment on an incident's repository while the incident was open fixes it
incident_links as (

    select
        deployments.org_id as org_id,
        deployments.provider as provider,
        deployments.repo_id as repo_id,
        deployments.deployment_id as deployment_id,
        'incident' as link_type,
        incidents.incident_id as linked_id
    from deployments
    inner join incidents using (org_id, repo_id)
    where
        incidents.rework_window_hours is not null
        and deployments.finished_at >= incidents.opened_at
        and (
            incidents.resolved_at is null
            or deployments.finished_at <= assumeNotNull(incidents.resolved_at)
            + toIntervalSecond(toInt64(assumeNotNull(incidents.rework_window_hours) * 3600))
        )

),

rework_links as (

    select * from shipped_links
    union all
    select * from incident_links

),

rework_per_deployment as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        arraySort(groupUniqArray(link_type)) as link_types,
        arraySort(groupUniqArray(linked_id)) as linked_ids
    from rework_links
    group by org_id, provider, repo_id, deployment_id

),

incidents_per_deployment as (

    select
        org_id,
        assumeNotNull(caused_deployment_provider) as provider,
        assumeNotNull(caused_deployment_repo_id) as repo_id,
        assumeNotNull(caused_deployment_id) as deployment_id,
        count() as caused_incidents
    from incidents
    where caused_deployment_id is not null
    group by org_id, provider, repo_id, deployment_id

),

final as (

    select
        deployments.org_id as org_id,
        deployments.provider as provider,
        deployments.repo_id as repo_id,
        deployments.deployment_id as deployment_id,
        deployments.repo_name as repo_name,
        deployments.finished_at as finished_at,
        -- unmatched deployments read 0 incidents (join_use_nulls = 0), which is the right count
        toUInt64(incidents_per_deployment.caused_incidents) as incidents_count,
        incidents_per_deployment.caused_incidents > 0 as is_failed,
        -- unmatched deployments read an empty array (join_use_nulls = 0): no rework link
        rework_per_deployment.link_types as rework_link_types,
        rework_per_deployment.linked_ids as rework_linked_ids,
        notEmpty(rework_per_deployment.link_types) as is_rework
    from deployments
    left join incidents_per_deployment using (org_id, provider, repo_id, deployment_id)
    left join rework_per_deployment using (org_id, provider, repo_id, deployment_id)

)

select * from final
