{#- The table of the keys a keyed intermediate recomputes on this run (recompute_keys), beside it in its schema:
    a real table, as the delete is a mutation, which cannot read a session's temporary table; replicated on a
    cluster like the model (its engine, ON CLUSTER), as every replica applies the mutation. Kept until the
    next run, for whoever wants to see what the last build recomputed. -#}
{% macro recompute_keys_table() -%}
    {{- return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__recompute_keys'
    )) -}}
{%- endmacro %}
