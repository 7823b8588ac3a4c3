{{ config(materialized='view') }}

with

github_work_item_transitions as (

    select * from {{ ref('stg_github__work_item_transitions') }}

),

gitlab_work_item_transitions as (

    select * from {{ ref('stg_gitlab__work_item_transitions') }}

),

jira_work_item_transitions as (

    select * from {{ ref('stg_jira__work_item_transitions') }}

),

-- every provider's staging model has the same columns in the same order (the raw contract's shared shape)
final as (

    select * from github_work_item_transitions
    union all
    select * from gitlab_work_item_transitions
    union all
    select * from jira_work_item_transitions

)

select * from final  -- noqa: AM04
