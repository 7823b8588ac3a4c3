{#- Pre-hook of the append-only marts and the incremental staging tables. They insert without a unique key, a
    path on which dbt-clickhouse skips on_schema_change, and that INSERT matches the model's columns to the
    table's by position: a column added to the model is added to the existing table first, right after the
    column it follows in the model, so the positions keep matching (rows appended before read the column's
    default). The model's columns are read from an empty temporary table created from its SQL: a `LIMIT 0` query
    or DESCRIBE would run the scalar subqueries in it (the append-only marts' changed_cells reads every input
    row), where CREATE ... EMPTY AS only analyses it. -#}
{% macro add_new_columns() -%}
    {%- if execute and is_incremental() -%}
        {%- set existing_names = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- set state = namespace(previous=none) -%}
        {#- a temporary table: one session's, so on a cluster it is nowhere else and needs no ON CLUSTER; named for
            this invocation, so one an earlier failed build left in a long-lived session is never in the way -#}
        {%- set probe = adapter.quote(this.identifier ~ '__dbt_new_columns_' ~ invocation_id.replace('-', '')[:12]) -%}
        {%- do run_query(
            'create temporary table ' ~ probe ~ ' engine = Memory empty as (' ~ model.compiled_code ~ '\n)'
        ) -%}
        {%- set model_columns = run_query('describe table ' ~ probe).rows -%}
        {%- do run_query('drop temporary table ' ~ probe) -%}
        {%- for column in model_columns -%}
            {%- set name, data_type = column[0], column[1] -%}
            {%- if name not in existing_names -%}
                {%- set alter_action = 'add column if not exists ' ~ adapter.quote(name) ~ ' ' ~ data_type
                    ~ (' after ' ~ adapter.quote(state.previous) if state.previous else ' first') -%}
                {%- do alter_model_table(alter_action) -%}
            {%- endif -%}
            {%- set state.previous = name -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
