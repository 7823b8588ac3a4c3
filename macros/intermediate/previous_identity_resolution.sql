{#- int_identities_resolved's rows as its previous build left them, for the build computing the next (the table
    is replaced only once the new one is complete): each identity's person, primary email, bot flag and when they
    last changed, with found = 1. No rows on the first build, under `--empty`, in a unit test, or from a table
    built before it kept resolution_changed_at: every identity then counts as changed now. -#}
{% macro previous_identity_resolution() -%}
    {#- a unit test's `this` names no table (its schema is undefined): it reads no previous build -#}
    {%- set previous = load_relation(this) if execute and not flags.EMPTY and this.schema else none -%}
    {%- set columns = adapter.get_columns_in_relation(previous) | map(attribute='name') | list
        if previous is not none else [] -%}
    {%- if 'resolution_changed_at' in columns %}
    select
        org_id,
        identity_type,
        provider,
        identity,
        person_id,
        primary_email,
        is_bot,
        resolution_changed_at,
        1 as found
    from {{ previous }}
    {%- else %}
    select
        '' as org_id,
        '' as identity_type,
        '' as provider,
        '' as identity,
        '' as person_id,
        '' as primary_email,
        false as is_bot,
        now64(6, 'UTC') as resolution_changed_at,
        1 as found
    where false
    {%- endif %}
{%- endmacro %}
