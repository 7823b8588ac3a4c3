{#- The table of the keys a keyed model recomputes on this run (recompute_keys), in the intermediate schema (a
    keyed mart's bookkeeping stays out of what BI reads): a real table, as the delete is a mutation, which cannot
    read a session's temporary table; replicated on a cluster like the model (its engine, ON CLUSTER), as every
    replica applies the mutation. Kept until the next run, for whoever wants to see what the last build
    recomputed. -#}
{% macro recompute_keys_table() -%}
    {{- api.Relation.create(
        database=this.database,
        schema=generate_schema_name('intermediate', model) | trim,
        identifier=this.identifier ~ '__recompute_keys'
    ) -}}
{%- endmacro %}
