{#- The two CTEs join_identities joins to, from the calling model's CTE `identities` (int_identities_resolved):
    `logins`, the person behind each login within its provider, and `emails`, the person behind each email.
    Written where the model's CTEs are listed: `{{ identity_lookups() }},`. -#}
{% macro identity_lookups(identities='identities') -%}
logins as (

    {{ identity_lookup('login', identities) }}

),

emails as (

    {{ identity_lookup('email', identities) }}

)
{%- endmacro %}
