{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, run_id)',
    pre_hook="{{ delete_restaged_keys(source('github', 'ci_runs'), ['org_id', 'repo_id', 'run_id'], ['org_id', 'repo_id', 'run_id']) }}"
) }}

with

source as (

    select * from {{ source('github', 'ci_runs') }}
    {{ where_key_restaged(source('github', 'ci_runs'), ['org_id', 'repo_id', 'run_id']) }}

),

deduplicated as (

    {{ latest_by('source', ['org_id', 'repo_id', 'run_id'], [
        'provider',
        'pipeline_name',
        'head_sha',
        'branch',
        'status',
        'conclusion',
        'started_at',
        'finished_at',
        'created_at',
        'run_attempt'
    ]) }}

),

renamed as (

    select
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(run_id), '') as run_id,
        latest_load_id as _dlt_load_id,
        toString(head_sha) as head_sha,

        -- attributes
        coalesce(toString(provider), 'github') as provider,
        toString(pipeline_name) as pipeline_name,
        toString(branch) as branch,
        toString(status) as status,
        lower(toString(conclusion)) as conclusion,
        toInt64(run_attempt) as run_attempt,

        -- timestamps
        toDateTime64(started_at, 6, 'UTC') as started_at,
        toDateTime64(finished_at, 6, 'UTC') as finished_at,
        toDateTime64(created_at, 6, 'UTC') as created_at

    from deduplicated

)

select * from renamed
