with

repos as (

    select * from {{ ref('int_repos_named') }}

),

deployments as (

    select * from {{ ref('int_deployments_production') }}

),

change_lead_times as (

    select * from {{ ref('int_change_lead_times') }}

),

incidents as (

    {{ union_staged('incidents', ['github', 'gitlab', 'jira', 'events']) }}

),

rework_link_rules as (

    select * from {{ ref('rework_link_rules') }}

),

-- the incident rule's window after an incident resolved (NULL when the rule is off)
incident_rule as (

    select
        if(
            countIf(link_type = 'incident' and enabled) > 0,
            toFloat64(anyIf(coalesce(window_hours, 0), link_type = 'incident' and enabled)),
            null
        ) as rework_window_hours
    from rework_link_rules

),

-- trackers such as Jira name the repository only by name
incidents_with_repo as (

    select
        incidents.org_id as org_id,
        incidents.provider as provider,
        incidents.incident_id as incident_id,
        coalesce(nullif(incidents.repo_id, ''), repos.repo_id, '') as incident_repo_id,
        incidents.repo_name as repo_name,
        incidents.title as title,
        incidents.severity as severity,
        assumeNotNull(incidents.opened_at) as incident_opened_at,
        incidents.resolved_at as resolved_at,
        nullif(incidents.caused_by_deployment_id, '') as caused_by_deployment_id,
        nullif(incidents.caused_by_sha, '') as caused_by_sha
    from incidents
    left join repos
        on
            incidents.org_id = repos.org_id
            and lower(incidents.repo_name) = lower(repos.repo_name)
    where incidents.opened_at is not null and {{ is_plausible_time('incidents.opened_at') }}

),

deployments_by_id as (

    select
        org_id,
        deployment_id,
        -- an id two providers share names the smallest (provider, repo): one row's, the same on every build
        min((provider, repo_id)) as deployment,
        tupleElement(deployment, 1) as deployment_provider,
        tupleElement(deployment, 2) as deployment_repo_id
    from deployments
    group by org_id, deployment_id

),

-- only the changes some incident names: there are few incidents and a great many changes
changes_by_sha as (

    select
        org_id,
        commit_sha,
        -- a commit in several repositories (a fork, a mirror) lies on the first deployment that shipped it
        min((first_deployed_at, first_deployment_provider, repo_id, first_deployment_id)) as deployment,
        tupleElement(deployment, 2) as deployment_provider,
        tupleElement(deployment, 3) as deployment_repo_id,
        tupleElement(deployment, 4) as deployment_id
    from change_lead_times
    where (org_id, commit_sha) in (
        select
            org_id,
            caused_by_sha
        from incidents_with_repo
        where caused_by_sha is not null
    )
    group by org_id, commit_sha

),

-- an incident naming neither a deployment nor a change lies on the last production deployment before it
latest_before as (

    select
        incidents_with_repo.org_id as org_id,
        incidents_with_repo.provider as provider,
        incidents_with_repo.incident_id as incident_id,
        deployments.provider as deployment_provider,
        deployments.repo_id as deployment_repo_id,
        deployments.deployment_id as deployment_id
    -- sqlfluff's ClickHouse dialect does not know ASOF joins and reads `asof` as a table alias
    from incidents_with_repo asof inner join deployments  -- noqa: AL01, AL05
        on
            incidents_with_repo.org_id = deployments.org_id
            and incidents_with_repo.incident_repo_id = deployments.repo_id
            and incidents_with_repo.incident_opened_at >= deployments.finished_at

),

attributed as (

    select
        incidents_with_repo.org_id as org_id,
        incidents_with_repo.provider as provider,
        incidents_with_repo.incident_id as incident_id,
        incidents_with_repo.incident_repo_id as incident_repo_id,
        incidents_with_repo.repo_name as repo_name,
        incidents_with_repo.title as title,
        incidents_with_repo.severity as severity,
        incidents_with_repo.incident_opened_at as incident_opened_at,
        incidents_with_repo.resolved_at as resolved_at,
        multiIf(
            deployments_by_id.deployment_id != '', 'named_deployment',
            changes_by_sha.deployment_id != '', 'named_change',
            incidents_with_repo.caused_by_deployment_id is null and incidents_with_repo.caused_by_sha is null
            and latest_before.deployment_id != '', 'latest_deployment',
            'none'
        ) as attribution,
        -- each cause names its deployment alike (deployment_provider, _repo_id, _id): the attribution picks the cause
    {%- for column in ['provider', 'repo_id', 'id'] %}
        multiIf(
            attribution = 'named_deployment', deployments_by_id.deployment_{{ column }},
            attribution = 'named_change', changes_by_sha.deployment_{{ column }},
            attribution = 'latest_deployment', latest_before.deployment_{{ column }},
            null
        ) as caused_deployment_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    -- unmatched joins read '' (join_use_nulls = 0), which the attribution above tests for
    from incidents_with_repo
    left join deployments_by_id
        on
            incidents_with_repo.org_id = deployments_by_id.org_id
            and incidents_with_repo.caused_by_deployment_id = deployments_by_id.deployment_id
    left join changes_by_sha
        on
            incidents_with_repo.org_id = changes_by_sha.org_id
            and incidents_with_repo.caused_by_sha = changes_by_sha.commit_sha
    left join latest_before
        on
            incidents_with_repo.org_id = latest_before.org_id
            and incidents_with_repo.provider = latest_before.provider
            and incidents_with_repo.incident_id = latest_before.incident_id

),

final as (

    select
        org_id,
        provider,
        incident_id,
        incident_repo_id as repo_id,
        repo_name,
        title,
        severity,
        incident_opened_at as opened_at,
        resolved_at,
        attribution,
        caused_deployment_provider,
        caused_deployment_repo_id,
        caused_deployment_id,
        if(
            resolved_at >= incident_opened_at,
            dateDiff('second', incident_opened_at, resolved_at) / 3600, null
        ) as time_to_restore_hours,
        (select rework_window_hours from incident_rule) as rework_window_hours
    from attributed

)

select * from final
