{#- What pr_cycle_trailing_4_weeks recomputes (recompute_keys, keys org_id and window_end_week): the four windows of
    each day whose merged pull requests pr_cycle_breakdown wrote or deleted since its last build (a pull request
    counts in the window of its merge week and of the three weeks after it), and the windows that came within the
    cap since (a window never ends after the week of now plus var('future_tolerance_hours'): a window a week
    ahead of the last build's clock is computed once its week comes, though no row changed). Every window when
    pr_cycle_breakdown's days log cannot tell (work_day_keys_to_recompute). -#}
{% macro pr_window_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set days = work_day_keys_to_recompute([('pr_cycle_breakdown', none)]) -%}
    {%- set tolerance = 'toIntervalHour(' ~ var('future_tolerance_hours') ~ ')' -%}
    {%- set changed -%}
        select org_id, arrayJoin(arrayMap(week -> toMonday(day) + 7 * week, range(4))) as window_end_week
        from ({{ days.changed }})
        union all
        select org_id, window_end_week
        from (
            select org_id, arrayJoin(arrayMap(week -> toMonday(merged_day) + 7 * week, range(4))) as window_end_week
            from {{ ref('pr_cycle_breakdown') }}
            where merged_day >= toMonday(toDate({{ since }} + {{ tolerance }}, 'UTC')) - 21
        )
        where
            window_end_week > toMonday(toDate({{ since }} + {{ tolerance }}, 'UTC'))
            and window_end_week <= toMonday(toDate({{ until }} + {{ tolerance }}, 'UTC'))
    {%- endset -%}
    {{ return({'changed': changed, 'stale': days.stale, 'built_at': until}) }}
{%- endmacro %}
