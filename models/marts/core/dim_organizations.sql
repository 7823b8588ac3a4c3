{{ config(order_by='(org_id)') }}

with

organizations as (

    select * from {{ ref('int_organizations_named') }}

),

final as (

    select
        org_id,
        org_name,
        is_in_semantic_layer,
        created_at,
        now64(6, 'UTC') as computed_at
    from organizations

)

select * from final
