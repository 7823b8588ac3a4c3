{#- The constant part of every cell's fingerprint: the model's own code, and what the model passes as
    `salt` (vars it reads, a hash of a seed it joins), so editing a rule or a threshold recomputes every cell. -#}
{% macro cell_salt(salt='') -%}
    {%- set code = model.raw_code if model is defined and model.raw_code is defined else '' -%}
    cityHash64('{{ local_md5(code) if local_md5 is defined else code | length }}'{{ ', ' ~ salt if salt }})
{%- endmacro %}
