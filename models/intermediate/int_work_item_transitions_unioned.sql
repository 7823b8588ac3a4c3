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

final as (

    select * from github_work_item_transitions
    union all
    select * from gitlab_work_item_transitions
    union all
    select * from jira_work_item_transitions

)

select * from final
