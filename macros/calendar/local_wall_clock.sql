{#- Per-organization calendars (macros/calendar/): time zone, business hours and working days from the semantic layer's
    settings (int_org_calendars), the project's vars for an organization that set none.

    A commit's local time is its author's own clock: git records the author's UTC offset with every commit.
    Where no offset was recorded, the organization's time zone gives it. ClickHouse takes a time zone only as
    a constant, so the zones the organizations configured are listed once per build and each gets its branch. -#}

{#- `ts` (UTC) on the local wall clock, as a UTC DateTime64: shifted by `offset_minutes` where recorded, else by
    the offset of the time zone `timezone` names at that instant (the project default for a zone ClickHouse
    does not know). -#}
{% macro local_wall_clock(ts, offset_minutes, timezone) -%}
    {%- set zones = configured_timezones() -%}
    {%- set default_zone = sql_string_literal(var('business_timezone')) -%}
    {%- set branches = [] -%}
    {%- for zone in zones -%}
        {%- do branches.append(timezone ~ ' = ' ~ sql_string_literal(zone)) -%}
        {%- do branches.append('timeZoneOffset(toTimeZone(' ~ ts ~ ', ' ~ sql_string_literal(zone) ~ '))') -%}
    {%- endfor -%}
    {%- do branches.append('timeZoneOffset(toTimeZone(' ~ ts ~ ', ' ~ default_zone ~ '))') -%}
    {{ ts }} + toIntervalSecond(
        if(
            {{ offset_minutes }} is null,
            {{ 'multiIf(' ~ branches | join(', ') ~ ')' if zones else branches[0] }},
            assumeNotNull({{ offset_minutes }}) * 60
        )
    )
{%- endmacro %}
