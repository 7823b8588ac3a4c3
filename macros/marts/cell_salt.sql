{#- The constant part of every cell's fingerprint: the model's own code, the vars that change what models compute
    (rule_vars), and what the model passes as `salt` (a hash of a seed it joins), so editing a rule, a var or a
    threshold recomputes every cell. -#}
{% macro cell_salt(salt='') -%}
    {%- set code = model.raw_code if model is defined and model.raw_code is defined else '' -%}
    {%- set vars = rule_vars() -%}
    cityHash64(
        '{{ local_md5(code) if local_md5 is defined else code | length }}',
        '{{ local_md5(vars) if local_md5 is defined else vars | length }}'{{ ', ' ~ salt if salt }}
    )
{%- endmacro %}
