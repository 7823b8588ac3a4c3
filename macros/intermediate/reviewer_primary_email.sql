{#- A reviewer's primary email after join_identities: the login's person's, else the email's, else the login's
    person id; '' when neither is known. -#}
{% macro reviewer_primary_email() -%}
    coalesce(nullif(logins.primary_email, ''), nullif(emails.primary_email, ''), nullif(logins.person_id, ''), '')
{%- endmacro %}
