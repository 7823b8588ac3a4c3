{% macro rows_past_retention(period) -%}
    {%- set horizon = retention_horizon() -%}
    {%- if horizon %}
    union all
    select * from {{ this }}
    where {{ period }} < {{ horizon }}
    {%- endif -%}
{%- endmacro %}
