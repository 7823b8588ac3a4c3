{{ config(order_by='(org_id, team_key)') }}

with

organizations as (

    select * from {{ ref('int_organizations_named') }}

),

teams as (

    select * from {{ ref('int_teams_summarised') }}

),

-- every team, and per organization the one entry work no team owns counts under (team_id '')
team_ids as (

    select
        org_id,
        team_id,
        team_name
    from teams
    union all
    select
        org_id,
        '' as team_id,
        '' as team_name
    from organizations

),

final as (

    select
        org_id,
        {{ team_key('team_id') }} as team_key,
        team_id,
        {{ team_label('team_id', 'team_name') }} as team_label,
        team_id = '' as is_unassigned,
        now64(6, 'UTC') as computed_at
    from team_ids

)

select * from final
