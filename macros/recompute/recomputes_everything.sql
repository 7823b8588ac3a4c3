{#- True when a keyed intermediate builds every row: a full build, or a table its rule has not built. A table
    built by other code (`_rule_hash`, cell_salt: the model's own SQL), an empty one, or one built before it was
    keyed (no `_built_at` yet) holds rows an edited rule would compute differently, so the run recomputes them
    all. Under `--empty` too: every input reads empty, and the run appends nothing (recompute_keys deletes
    nothing). Read when the model compiles and again by its pre-hook, both before the run changes the table. -#}
{% macro recomputes_everything() -%}
    {%- if not (execute and is_incremental()) or flags.EMPTY -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if '_built_at' not in columns or '_rule_hash' not in columns -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set stored = run_query('select toString(any(_rule_hash)), count() from ' ~ this).rows[0] -%}
    {%- set current = run_query('select toString(' ~ cell_salt() ~ ')').rows[0][0] -%}
    {{ return(stored[1] == 0 or stored[0] != current) }}
{%- endmacro %}
