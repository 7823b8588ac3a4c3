{{ config(materialized='view') }}

with

-- rows kept in staging but out of the marts: a time before 1970 or ahead of now (docs/raw_contract.md)
out_of_range as (

    {{ rows_out_of_time_range_by_table([
        ('stg_git__commits', 'authored_at'),
        ('stg_github__commits', 'authored_at'),
        ('stg_gitlab__commits', 'authored_at'),
        ('stg_github__pull_requests', 'created_at'),
        ('stg_gitlab__pull_requests', 'created_at'),
        ('stg_github__pr_reviews', 'submitted_at'),
        ('stg_gitlab__pr_reviews', 'submitted_at'),
        ('stg_github__deployments', 'finished_at'),
        ('stg_gitlab__deployments', 'finished_at'),
        ('stg_events__deployments', 'finished_at'),
        ('stg_github__incidents', 'opened_at'),
        ('stg_gitlab__incidents', 'opened_at'),
        ('stg_jira__incidents', 'opened_at'),
        ('stg_events__incidents', 'opened_at'),
        ('stg_github__work_items', 'created_at'),
        ('stg_gitlab__work_items', 'created_at'),
        ('stg_jira__work_items', 'created_at'),
        ('stg_events__changes', 'created_at'),
    ]) }}

),

final as (

    select
        toString(org_id) as org_id,
        source_table,
        time_column,
        toUInt64(rows_out_of_range) as rows_out_of_range,
        toDateTime64(earliest_at, 6, 'UTC') as earliest_at,
        toDateTime64(latest_at, 6, 'UTC') as latest_at
    from out_of_range

)

select * from final
