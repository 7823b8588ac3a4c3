{{ config(order_by='(org_id, person_id)') }}

with

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

final as (

    select
        org_id,
        person_id,
        -- a person the semantic layer maps keeps its primary email; an unmapped login has none
        argMax(primary_email, primary_email != '') as person_primary_email,
        argMax(display_name, display_name is not null) as person_display_name,
        max(is_mapped) as person_is_mapped,
        max(is_bot) as person_is_bot,
        groupUniqArrayIf(identity, identity_type = 'email') as person_emails,
        groupUniqArrayIf(concat(provider, ':', identity), identity_type = 'login') as person_logins
    from identities
    group by org_id, person_id

)

select
    org_id,
    person_id,
    person_primary_email as primary_email,
    person_display_name as display_name,
    person_is_mapped as is_mapped,
    person_is_bot as is_bot,
    arraySort(person_emails) as emails,
    arraySort(person_logins) as logins,
    now64(6, 'UTC') as computed_at
from final
