{#- True when `ts` falls outside business hours (var business_hours_start to business_hours_end, in
    var business_timezone), weekends included: the after-hours share of a team's commits. -#}
{% macro is_outside_business_hours(ts) -%}
    (
        toDayOfWeek({{ ts }}, 0, '{{ var("business_timezone") }}') >= 6
        or toHour({{ ts }}, '{{ var("business_timezone") }}') < {{ var('business_hours_start') }}
        or toHour({{ ts }}, '{{ var("business_timezone") }}') >= {{ var('business_hours_end') }}
    )
{%- endmacro %}

{#- True when `ts` falls on a Saturday or Sunday in var business_timezone. -#}
{% macro is_weekend(ts) -%}
    (toDayOfWeek({{ ts }}, 0, '{{ var("business_timezone") }}') >= 6)
{%- endmacro %}

{#- The business-hours vars, for the fingerprint of a mart that reads them: changing them recomputes its cells. -#}
{% macro business_hours_salt() -%}
    {%- set hours = [var('business_timezone'), var('business_hours_start'), var('business_hours_end')] -%}
    {{ sql_string_literal(hours | join('|')) }}
{%- endmacro %}
