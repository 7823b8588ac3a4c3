{#- A keyed intermediate's bookkeeping columns: `_built_at`, when the run that computed the row chose its keys
    (its inputs staged up to then are in the row), and `_rule_hash`, the model's rule (rule_hash,
    recomputes_everything). -#}
{% macro built_at() -%}
    {%- if recomputes_everything() -%}
        now64(6, 'UTC') as _built_at,
    {%- else -%}
        (select any(built_at) from {{ recompute_keys_table() }}) as _built_at,
    {%- endif %}
    {{ rule_hash() }} as _rule_hash
{%- endmacro %}
