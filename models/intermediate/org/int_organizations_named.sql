with

organizations as (

    select * from {{ ref('stg_semantic__organizations') }}

),

repos as (

    select * from {{ ref('int_repos_named') }}

),

teams as (

    select * from {{ ref('int_teams_summarised') }}

),

-- a warehouse loaded without the semantic layer (CLICKHOUSE_URI only) still knows its orgs by their data
org_ids as (

    select org_id from organizations
    union distinct
    select org_id from repos
    union distinct
    select org_id from teams

),

final as (

    select
        org_ids.org_id as org_id,
        -- named by its id where the semantic layer has no row (or no name) for it
        coalesce(nullIf(organizations.org_name, ''), org_ids.org_id) as org_name,
        -- unmatched, org_id reads '' (join_use_nulls = 0) or NULL (= 1); the Nullable columns read NULL either way
        coalesce(organizations.org_id, '') != '' as is_in_semantic_layer,
        organizations.created_at as created_at
    from org_ids
    left join organizations
        on org_ids.org_id = organizations.org_id
    where org_ids.org_id != ''

)

select * from final
