{#- The TTL of a raw event table: recompress parts older than `recompress_after_days` with
    `codec`, delete rows older than `retention_days`; 0 disables either, '' when both are off.
    A row without its event time ages from its load (dlt's load id is the load's epoch seconds),
    so a missing timestamp neither keeps a row forever nor drops it at once. -#}
{% macro raw_ttl_expression(timestamp_column, recompress_after_days, retention_days, codec) -%}
    {%- set event_time -%}
        coalesce(toDateTime({{ timestamp_column }}), toDateTime(toUInt32(toFloat64(_dlt_load_id))))
    {%- endset -%}
    {%- set rules = [] -%}
    {%- if recompress_after_days | int > 0 -%}
        {%- do rules.append(event_time ~ ' + interval ' ~ (recompress_after_days | int) ~ ' day recompress codec(' ~ codec ~ ')') -%}
    {%- endif -%}
    {%- if retention_days | int > 0 -%}
        {%- do rules.append(event_time ~ ' + interval ' ~ (retention_days | int) ~ ' day delete') -%}
    {%- endif -%}
    {{ rules | join(', ') }}
{%- endmacro %}
