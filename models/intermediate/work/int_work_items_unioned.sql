{{ config(materialized='view') }}

with

github_work_items as (

    select * from {{ ref('stg_github__work_items') }}

),

gitlab_work_items as (

    select * from {{ ref('stg_gitlab__work_items') }}

),

jira_work_items as (

    select * from {{ ref('stg_jira__work_items') }}

),

-- every provider's staging model has the same columns in the same order (the raw contract's shared shape)
final as (

    select * from github_work_items
    union all
    select * from gitlab_work_items
    union all
    select * from jira_work_items

)

select * from final  -- noqa: AM04
