{#- The first and last day a DORA mart's period reads (dora_period_metrics), as SQL over the period's start: the
    28 days ending with a day, the four ISO weeks ending with a week or a trailing window, a month's own days
    and those of the ISO weeks starting in it. -#}
{% macro dora_period_days(period, period_start) -%}
    {%- if period not in ('day', 'week', 'month', 'trailing_4_weeks') -%}
        {{ exceptions.raise_compiler_error("dora_period_days: unknown period " ~ period) }}
    {%- endif -%}
    {{ return({
        'day': (period_start ~ ' - 27', period_start),
        'week': (period_start ~ ' - 21', period_start ~ ' + 6'),
        'trailing_4_weeks': (period_start ~ ' - 21', period_start ~ ' + 6'),
        'month': (period_start, 'toMonday(toLastDayOfMonth(' ~ period_start ~ ')) + 6'),
    }[period]) }}
{%- endmacro %}
