with

source as (

    select * from {{ source('github', 'ci_runs') }}

),

deduplicated as (

    select
        org_id,
        repo_id,
        run_id,
        {{ latest_by([
            'provider',
            'pipeline_name',
            'head_sha',
            'branch',
            'status',
            'conclusion',
            'started_at',
            'finished_at'
        ], '_dlt_load_id') }}
    from source
    group by org_id, repo_id, run_id

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(run_id), '') as run_id,
        toString(head_sha) as head_sha,

        -- attributes
        coalesce(toString(provider), 'github') as provider,
        toString(pipeline_name) as pipeline_name,
        toString(branch) as branch,
        toString(status) as status,
        lower(toString(conclusion)) as conclusion,

        -- timestamps
        toDateTime64(started_at, 6, 'UTC') as started_at,
        toDateTime64(finished_at, 6, 'UTC') as finished_at

    from deduplicated

)

select * from renamed
