{#- The days log of keyed model `relation` (this one by default), <model>__deleted_days beside it: for every build
    that deleted rows (recompute_keys, by key or whole) or replaced them (a --full-refresh), the (org_id, day) of
    each such row, by the model's `deleted_days` config (the days a row counts on). What a day table downstream
    cannot find otherwise: a deleted row is gone, and its keys (recompute_log_table) no longer name its day.
    Created, stamped and appended by log_deleted_days, expired as the keys log; days_recomputed_since reads it. -#}
{% macro deleted_days_log_table(relation=none) -%}
    {%- set relation = relation if relation is not none else this -%}
    {{- return(api.Relation.create(
        database=relation.database, schema=relation.schema, identifier=relation.identifier ~ '__deleted_days'
    )) -}}
{%- endmacro %}
