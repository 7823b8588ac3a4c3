{#- True when a keyed intermediate builds every row: a full build, or a table its rule has not built. A table built by
    other code (`_rule_hash`, rule_hash: the model's own SQL and the seeds it names), an empty one, or one built
    before it was keyed (no `_built_at` yet) holds rows an edited rule would compute differently, so the run
    recomputes them all. Under `--empty` too: every input reads empty, and the run appends nothing (recompute_keys
    deletes nothing). Read when the model compiles and again by its pre-hook, both before the run changes the table.
    The answer is kept in the `model` dict of the rendering that asked (dbt makes one per rendering: the model's SQL,
    its hooks): the model's input filters, its bookkeeping columns and its keys macro ask it five or more times a
    build, and each answer reads the table's columns and then its stored rule and row count. The rule is the latest
    build's: rows a full recompute keeps (recompute_keys, `kept`) may hold an older one. -#}
{% macro recomputes_everything() -%}
    {%- if not (execute and is_incremental()) or flags.EMPTY -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if '_recomputes_everything' in model -%}
        {{ return(model['_recomputes_everything']) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if '_built_at' not in columns or '_rule_hash' not in columns -%}
        {%- set everything = true -%}
    {%- else -%}
        {%- set stored = run_query(
            'select toString(argMax(_rule_hash, _built_at)), count(), toString(' ~ rule_hash() ~ ') from ' ~ this
        ).rows[0] -%}
        {%- set everything = stored[1] == 0 or stored[0] != stored[2] -%}
    {%- endif -%}
    {%- do model.update({'_recomputes_everything': everything}) -%}
    {{ return(everything) }}
{%- endmacro %}
