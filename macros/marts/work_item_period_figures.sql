{#- The figures of every team, work scope and period ('day' or 'month') a changed cell holds, as CTEs ending in
    `final`, after the model's `items`, `teams`, `changed_cells` and `item_wip_{period}s` (one row per item and
    period it is in progress at the end of). Every figure is computed over the period's own items: a month's
    counts equal the sums of its days, its medians, percentiles and bug ratio are the month's. -#}
{% macro work_item_period_figures(period) -%}
    {%- set started_period = utc_period('assumeNotNull(started_at)', period) -%}
    {%- set completed_period = utc_period('assumeNotNull(completed_at)', period) -%}
    {%- set started = 'started_' ~ period ~ 's' -%}
    {%- set completed = 'completed_' ~ period ~ 's' -%}
    {%- set wip = 'wip_' ~ period ~ 's' -%}
    {%- set scopes = 'scope_' ~ period ~ 's' -%}
-- each cell's figures of the items started, completed and in progress in it
started_{{ period }}s as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        {{ started_period }} as {{ period }},
        count() as {{ period }}_started
    from items
    where started_at is not null and {{ in_changed_cells(started_period, period=period) }}
    group by org_id, provider, work_scope_id, team_id, {{ period }}

),

completed_{{ period }}s as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        {{ completed_period }} as {{ period }},
        count() as {{ period }}_completed,
        {{ exact_quantile(0.5, hours_between('started_at', 'completed_at')) }} as {{ period }}_cycle_p50_hours,
        {{ exact_quantile(0.9, hours_between('started_at', 'completed_at')) }} as {{ period }}_cycle_p90_hours,
        {{ exact_quantile(0.5, hours_between('created_at', 'completed_at')) }} as {{ period }}_lead_p50_hours,
        {{ exact_quantile(0.9, hours_between('created_at', 'completed_at')) }} as {{ period }}_lead_p90_hours,
        toNullable(countIf(is_bug) / count()) as {{ period }}_bug_ratio,
        sum(coalesce(story_points, 0)) as {{ period }}_story_points
    from items
    where completed_at is not null and {{ in_changed_cells(completed_period, period=period) }}
    group by org_id, provider, work_scope_id, team_id, {{ period }}

),

wip_{{ period }}s as (

    select
        org_id,
        provider,
        work_scope_id,
        team_id,
        {{ period }},
        count() as {{ period }}_wip
    from item_wip_{{ period }}s
    where {{ in_changed_cells(period, period=period) }}
    group by org_id, provider, work_scope_id, team_id, {{ period }}

),

scope_{{ period }}s as (

    {{ figures_by_key({
        started: [period ~ '_started'],
        completed: [
            period ~ '_completed', period ~ '_cycle_p50_hours', period ~ '_cycle_p90_hours',
            period ~ '_lead_p50_hours', period ~ '_lead_p90_hours', period ~ '_bug_ratio', period ~ '_story_points'
        ],
        wip: [period ~ '_wip'],
    }, ['org_id', 'provider', 'work_scope_id', 'team_id', period]) }}

),

final as (

    select
        {{ scopes }}.org_id as org_id,
        {{ scopes }}.{{ period }} as {{ period }},
        {{ scopes }}.provider as provider,
        {{ scopes }}.work_scope_id as work_scope_id,
        {{ scopes }}.team_id as team_id,
        {{ team_key(scopes ~ '.team_id') }} as team_key,
        {{ team_label(scopes ~ '.team_id', 'teams.team_name') }} as team_label,
        toUInt64(coalesce({{ scopes }}.{{ period }}_started, 0)) as items_started,
        toUInt64(coalesce({{ scopes }}.{{ period }}_completed, 0)) as items_completed,
        toUInt64(coalesce({{ scopes }}.{{ period }}_wip, 0)) as wip_count_end_of_{{ period }},
        {{ scopes }}.{{ period }}_cycle_p50_hours as cycle_time_p50_hours,
        {{ scopes }}.{{ period }}_cycle_p90_hours as cycle_time_p90_hours,
        {{ scopes }}.{{ period }}_lead_p50_hours as lead_time_p50_hours,
        {{ scopes }}.{{ period }}_lead_p90_hours as lead_time_p90_hours,
        {{ scopes }}.{{ period }}_bug_ratio as bug_completed_ratio,
        coalesce({{ scopes }}.{{ period }}_story_points, 0) as story_points_completed
    -- a figure whose CTE has no row for the cell reads NULL
    from {{ scopes }}
    left join teams using (org_id, team_id)

)
{%- endmacro %}
