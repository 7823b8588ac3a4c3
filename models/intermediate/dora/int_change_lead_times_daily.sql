{#- Keyed by day (recompute_keys, keys org_id and day): a build gathers again the days whose lead times
    int_change_lead_times wrote or deleted since its last build (its `deleted_days` log), not the history
    (work_day_keys_to_recompute). int_dora_daily_facts, rebuilt on every build, reads a repository's day here as
    one array, where it read every lead time of the history (2M commits: 2.08M rows). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, day, repo_id)',
    pre_hook=[
        "{{ recompute_keys(work_day_keys_to_recompute([('int_change_lead_times', none)]), ['org_id', 'day']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

with

change_lead_times as (

    select * from {{ ref('int_change_lead_times') }}

),

-- a change counts on the UTC day of its first production deployment; one whose creation time is unknown has
-- no lead time
lead_times as (

    select
        org_id,
        repo_id,
        toDate(first_deployed_at, 'UTC') as day,
        assumeNotNull(lead_time_hours) as lead_time_hours
    from change_lead_times
    where lead_time_hours is not null

),

final as (

    select
        org_id,
        repo_id,
        day,
        -- sorted: groupArray's order differs from one build to the next, the array's content does not
        arraySort(groupArray(lead_time_hours)) as lead_times_hours,
        {{ built_at() }}
    from lead_times
    {{- where_recomputed(['org_id', 'day']) }}
    group by org_id, repo_id, day

)

select * from final
