{#- How a recompute log's comment opens; the build time it starts at follows (create_recompute_log writes it,
    keys_recomputed_since reads it). -#}
{% macro recompute_log_stamp() -%}
    {{- return('recompute log since ') -}}
{%- endmacro %}
