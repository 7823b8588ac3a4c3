{#- An organization id as the semantic layer issues them (digits), refused otherwise so that it can
    be spliced into a role name and a string literal. -#}
{% macro checked_org_id(org_id) -%}
    {%- set text = org_id | string -%}
    {%- if not modules.re.fullmatch('[0-9]+', text) -%}
        {{ exceptions.raise_compiler_error(
            "row policies: organization id '" ~ text ~ "' is not a semantic layer id (digits)") }}
    {%- endif -%}
    {{ text }}
{%- endmacro %}
