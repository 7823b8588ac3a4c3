{#- The read-only BI role of one organization: `<bi_role>_org_<id>`, such as devhealth_bi_org_7. -#}
{% macro org_bi_role(org_id, bi_role='devhealth_bi') -%}
    {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', bi_role) -%}
        {{ exceptions.raise_compiler_error("row policies: bi_role '" ~ bi_role ~ "' is not a plain identifier") }}
    {%- endif -%}
    {{ bi_role }}_org_{{ checked_org_id(org_id) }}
{%- endmacro %}
