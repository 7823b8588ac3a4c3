{#- The config of an append-only `_versions` mart (README, "What a BI tool reads"), as a model passes it to
    config(): appended to, never rebuilt (a distributed table on a cluster), ordered by `order_by`, with the
    projection that answers the latest-computation view over it. Its pre-hooks keep a column the model renames
    (meta.renamed_columns: `renamed_columns` here) with its history, then add a new one before the append. -#}
{% macro append_only_mart(order_by, period, renamed_columns=none) -%}
    {%- set mart = {
        'materialized': 'distributed_incremental' if target.get('cluster') else 'incremental',
        'incremental_strategy': 'append',
        'order_by': order_by,
        'projections': [latest_computations_projection(period)],
        'pre_hook': ['{{ rename_columns() }}', '{{ add_new_columns() }}'],
    } -%}
    {%- if renamed_columns -%}
        {%- do mart.update({'meta': {'renamed_columns': renamed_columns}}) -%}
    {%- endif -%}
    {{ return(mart) }}
{%- endmacro %}
