{#- keyed by window (recompute_keys, keys org_id and window_end_week): a build recomputes the windows of the days
    whose merged pull requests pr_cycle_breakdown wrote or deleted since its last build, and those that came within
    the cap since (pr_window_keys_to_recompute), where it read every merged pull request of the history four
    times -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, window_end_week)',
    pre_hook=[
        "{{ recompute_keys(pr_window_keys_to_recompute(), ['org_id', 'window_end_week']) }}",
        "{{ add_new_columns() }}"
    ]
) }}
-- noqa: disable=RF03
-- (sqlfluff reads ARRAY JOIN aliases as unqualified columns)

with

pull_requests as (

    select * from {{ ref('pr_cycle_breakdown') }}
    {%- if is_incremental() and not recomputes_everything() %}
    -- the merges the recomputed windows read, from the first one's first week to the last one's last day: the
    -- filter below reads windows after the ARRAY JOIN, which reads every merge of the history first
    where
        merged_day >= (select minOrNull(window_end_week) - 21 from {{ recompute_keys_table() }})
        and merged_day <= (select maxOrNull(window_end_week) + 6 from {{ recompute_keys_table() }})
    {%- endif %}

),

-- each merged pull request belongs to the window of its own ISO week and of the three weeks after it; a window
-- never ends after the week of now plus the tolerance for event times (var future_tolerance_hours)
pull_requests_in_windows as (

    select
        pull_requests.*,
        window_end_week
    from pull_requests
    array join {{ pr_window_ends('pull_requests.merged_day') }} as window_end_week
    where window_end_week <= {{ pr_window_cap("now('UTC')") }}

),

recomputed_windows as (

    select * from pull_requests_in_windows
    {{- where_recomputed(['org_id', 'window_end_week']) }}

),

final as (

    select
        org_id,
        window_end_week,
        window_end_week - 21 as window_start_week,
        toUInt64(count()) as prs_merged,
        {{ exact_quantile(0.5, 'coding_hours') }} as coding_p50_hours,
        {{ exact_quantile(0.5, 'pickup_hours') }} as pickup_p50_hours,
        {{ exact_quantile(0.5, 'review_hours') }} as review_p50_hours,
        {{ exact_quantile(0.5, 'deploy_hours') }} as deploy_p50_hours,
        {{ exact_quantile(0.5, 'cycle_hours') }} as cycle_p50_hours,
        {{ built_at() }}
    from recomputed_windows
    group by org_id, window_end_week

)

select * from final
