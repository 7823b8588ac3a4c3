{#- True when `ts` can be a real event time: from 1970 on (ClickHouse's Date starts there) and no later than
    now plus var('future_tolerance_hours'). A commit from a machine with a wrong clock, or an event dated 2999,
    stays in raw and staging but out of the marts, counted per source in rows_out_of_time_range
    (docs/raw_contract.md, "Time that cannot be"); once its time is no longer ahead, it counts. NULL is not
    implausible: a missing time is each model's own case. -#}
{% macro is_plausible_time(ts) -%}
    ({{ ts }} is null or ({{ ts }} >= toDateTime64('1970-01-01 00:00:00', 6, 'UTC')
        and {{ ts }} <= now64(6, 'UTC') + toIntervalHour({{ var('future_tolerance_hours') }})))
{%- endmacro %}
