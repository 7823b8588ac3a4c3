{#- What pr_cycle_trailing_4_weeks recomputes (recompute_keys, keys org_id and window_end_week): the four windows of
    each day whose merged pull requests pr_cycle_breakdown wrote or deleted since its last build (a pull request
    counts in the window of its merge week and of the three weeks after it), and the windows that came within the
    cap since (a window never ends after the week of now plus var('future_tolerance_hours'): a window a week
    ahead of the last build's clock is computed once its week comes, though no row changed). Every window when
    pr_cycle_breakdown's days log cannot tell (work_day_keys_to_recompute). -#}
{% macro pr_window_keys_to_recompute() -%}
    {%- set days = work_day_keys_to_recompute([('pr_cycle_breakdown', none)]) -%}
    {#- the clock the days above were read up to: the keys and their log carry it -#}
    {%- set since_cap, until_cap = pr_window_cap(last_built_at()), pr_window_cap(days.built_at) -%}
    {%- set changed -%}
        select org_id, arrayJoin({{ pr_window_ends('day') }}) as window_end_week
        from ({{ days.changed }})
        union all
        select org_id, window_end_week
        from (
            select org_id, arrayJoin({{ pr_window_ends('merged_day') }}) as window_end_week
            from {{ ref('pr_cycle_breakdown') }}
            where merged_day >= {{ since_cap }} - 21
        )
        where window_end_week > {{ since_cap }} and window_end_week <= {{ until_cap }}
    {%- endset -%}
    {{ return({'changed': changed, 'stale': days.stale, 'built_at': days.built_at}) }}
{%- endmacro %}
