{{ config(**append_only_mart('(org_id, repo_id, environment, day)', 'day')) }}

with

deployments as (

    select * from {{ ref('int_deployments_unioned') }}

),

-- a deployment counts on the UTC day it started; one that reports only a finish counts on that day
dated_deployments as (

    select
        org_id,
        provider,
        repo_id,
        deployment_id,
        environment,
        status,
        deployer_login,
        started_at,
        finished_at,
        toDate(assumeNotNull(coalesce(started_at, finished_at)), 'UTC') as deployment_day
    from deployments

),

-- every input row a day's figures read, hashed: a day is recomputed when its fingerprint changes
cell_inputs as (

    select
        org_id,
        deployment_day as day,
        cityHash64(tuple(
            provider, repo_id, deployment_id, environment, status, deployer_login, started_at, finished_at
        )) as row_hash
    from dated_deployments

),

changed_cells as (

    {{ changed_cells('cell_inputs') }}

),

final as (

    select
        org_id,
        repo_id,
        environment,
        deployment_day as day,
        toUInt64(count()) as deployments_count,
        toUInt64(countIf(status = 'success')) as successful_deployments,
        toUInt64(countIf(status = 'failure')) as failed_deployments,
        toUInt64(countIf(status not in ('success', 'failure'))) as other_deployments,
        if(
            successful_deployments + failed_deployments = 0,
            null,
            failed_deployments / (successful_deployments + failed_deployments)
        ) as failure_rate,
        {{ exact_quantile(0.5, elapsed('started_at', 'finished_at', 'minute')) }}
            as duration_p50_minutes,
        -- a login is unique within its provider only
        toUInt64(uniqExactIf((provider, deployer_login), deployer_login != '')) as deployers_count
    from dated_deployments
    where {{ in_changed_cells('deployment_day') }}
    group by org_id, repo_id, environment, day

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
