with

source as (

    select * from {{ source('jira', 'incidents') }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'provider', 'incident_id'], [
        'repo_name',
        'repo_id',
        'title',
        'severity',
        'opened_at',
        'resolved_at',
        'caused_by_deployment_id',
        'caused_by_sha',
        'labels'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(provider), 'jira') as provider,
        coalesce(toString(incident_id), '') as incident_id,
        toString(repo_id) as repo_id,
        toString(caused_by_deployment_id) as caused_by_deployment_id,

        -- attributes
        toString(repo_name) as repo_name,
        toString(title) as title,
        toString(severity) as severity,
        toString(caused_by_sha) as caused_by_sha,
        JSONExtract(coalesce(labels, '[]'), 'Array(String)') as labels,

        -- timestamps
        toDateTime64(opened_at, 6, 'UTC') as opened_at,
        toDateTime64(resolved_at, 6, 'UTC') as resolved_at

    from deduplicated

)

select * from renamed
