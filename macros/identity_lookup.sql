{#- The people behind one type of identity, from the CTE `identities` (int_identities_resolved): a login
    (matched with its provider) or an email, each with its person and primary email. -#}
{% macro identity_lookup(identity_type, identities='identities') -%}
    select
        org_id,
    {%- if identity_type == 'login' %}
        provider,
    {%- endif %}
        identity as {{ identity_type }},
        person_id,
        primary_email
    from {{ identities }}
    where identity_type = '{{ identity_type }}'
{%- endmacro %}
