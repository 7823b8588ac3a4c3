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

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
final as (

    {{ union_by_name([
        ('github_work_items', 'stg_github__work_items'),
        ('gitlab_work_items', 'stg_gitlab__work_items'),
        ('jira_work_items', 'stg_jira__work_items')
    ]) }}

)

select * from final  -- noqa: AM04
