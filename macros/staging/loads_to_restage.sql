{#- The ids of loads committed after the latest commit of a load this table holds; none before dlt has
    committed a load of the dataset. -#}
{% macro loads_to_restage(source_relation) -%}
    {%- set load_ids = [] -%}
    {%- set loads = dlt_loads_relation(source_relation) if execute and is_incremental() else none -%}
    {%- set listed -%}
        select load_id
        from {{ loads }}
        where status = 0 and inserted_at > (
            select max(inserted_at) from {{ loads }} where load_id in (select _dlt_load_id from {{ this }})
        )
        order by load_id
    {%- endset -%}
    {%- if loads is not none and load_relation(loads) is not none -%}
        {%- for row in run_query(listed).rows -%}
            {%- do load_ids.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(load_ids) -}}
{%- endmacro %}
