{%- set renamed -%}
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(provider), '') as provider,
        lower(coalesce(toString(identity), '')) as identity,
        toString(person_id) as person_id,

        -- people
        lower(toString(primary_email)) as primary_email,
        toString(display_name) as display_name
{%- endset -%}
{{ semantic_staging_model('identities', ['org_id', 'provider', 'identity'], [
    'person_id',
    'primary_email',
    'display_name'
], renamed) }}
