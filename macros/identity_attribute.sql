{#- A person's attribute (person_id, primary_email) after join_identities: the login's person first, as
    providers tie a login to one account, else the email's; '' when neither is known. -#}
{% macro identity_attribute(attribute) -%}
    coalesce(nullif(logins.{{ attribute }}, ''), nullif(emails.{{ attribute }}, ''), '')
{%- endmacro %}
