{#- The given column names in the order the model's existing table holds them, the names it lacks last.
    dbt-clickhouse appends to an incremental table by position (`insert into <table> (<its columns>) <the model's
    select>`), so a restaging selects in its table's order whatever order the contract lists the columns in now;
    add_new_columns then adds the names the table lacks after its last column. -#}
{% macro in_table_order(names) -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- set ordered = [] -%}
    {%- for name in existing if name in names -%}
        {%- do ordered.append(name) -%}
    {%- endfor -%}
    {%- for name in names if name not in existing -%}
        {%- do ordered.append(name) -%}
    {%- endfor -%}
    {{ return(ordered) }}
{%- endmacro %}
