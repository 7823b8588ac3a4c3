{#- The log of keyed model `relation` (this one by default), <model>__recompute_log beside it: every key
    recompute_keys recomputed, with the build_clock of the run (built_at), whether the run wrote a row for it
    again or deleted it. Ordered by that time, so reading what was recomputed since a moment reads only the runs
    after it. Rows older than var('recompute_log_days') when the log was created expire (its TTL):
    keys_recomputed_since reads the TTL the log has, not the var. -#}
{% macro recompute_log_table(relation=none) -%}
    {%- set relation = relation if relation is not none else this -%}
    {{- return(api.Relation.create(
        database=relation.database, schema=relation.schema, identifier=relation.identifier ~ '__recompute_log'
    )) -}}
{%- endmacro %}
