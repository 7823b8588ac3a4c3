{#- The time zones organizations configured that ClickHouse knows, read when the model runs (none while
    compiling without a warehouse, or in a unit test, where the project default applies). -#}
{% macro configured_timezones() -%}
    {%- set zones = [] -%}
    {%- set calendars = load_relation(ref('int_org_calendars')) if execute else none -%}
    {%- set listed -%}
        select distinct timezone
        from {{ calendars }}
        where timezone in (select time_zone from system.time_zones)
        order by timezone
    {%- endset -%}
    {%- if calendars is not none -%}
        {%- for row in run_query(listed).rows -%}
            {%- do zones.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(zones) -}}
{%- endmacro %}
