{#- The days log of keyed model `relation` (this one by default), <model>__deleted_days beside it: for every build
    that recomputed keys (recompute_keys), the (org_id, day) of each row it deleted, by the model's `deleted_days`
    config (the days a row counts on). What a day table downstream cannot find otherwise: a deleted row is gone,
    and its keys (recompute_log_table) no longer name its day. Created, stamped and expired as the keys log
    (create_recompute_log); days_recomputed_since reads it. -#}
{% macro deleted_days_log_table(relation=none) -%}
    {%- set relation = relation if relation is not none else this -%}
    {{- return(api.Relation.create(
        database=relation.database, schema=relation.schema, identifier=relation.identifier ~ '__deleted_days'
    )) -}}
{%- endmacro %}
