{#- Pre-hook of a mart rebuilt whole that keeps its rows past raw retention (within_retention and
    rows_past_retention): the rebuild unions the existing table's rows with the new ones by position, so a
    column new to the model must be in the existing table first, right after the column it follows in the
    model, or the first build after the upgrade fails (UNION ALL of different widths). Rows kept from before
    read `data_type`'s default. No table yet, or the column already there: nothing happens. -#}
{% macro add_column_before_rebuild(name, data_type, after) -%}
    {%- if execute and load_relation(this) is not none -%}
        {%- set alter_action = 'add column if not exists ' ~ adapter.quote(name) ~ ' ' ~ data_type
            ~ ' after ' ~ adapter.quote(after) -%}
        {%- do alter_model_table(alter_action) -%}
    {%- endif -%}
{%- endmacro %}
