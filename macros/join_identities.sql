{#- The two left joins that find the person behind a row's login and email: `logins` and `emails` are the
    calling model's identity_lookup CTEs, `rows` the relation joined to them. A login is matched within its
    provider and lower-cased, as identity resolution stores it. Read the person with identity_attribute. -#}
{% macro join_identities(rows, login_column, email_column) -%}
    left join logins
        on
            {{ rows }}.org_id = logins.org_id
            and {{ rows }}.provider = logins.provider
            and lower({{ rows }}.{{ login_column }}) = logins.login
    left join emails
        on
            {{ rows }}.org_id = emails.org_id
            and {{ rows }}.{{ email_column }} = emails.email
{%- endmacro %}
