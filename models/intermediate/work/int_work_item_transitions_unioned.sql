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

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
final as (

    {{ union_by_name([
        ('github_work_item_transitions', 'stg_github__work_item_transitions'),
        ('gitlab_work_item_transitions', 'stg_gitlab__work_item_transitions'),
        ('jira_work_item_transitions', 'stg_jira__work_item_transitions')
    ]) }}

)

select * from final  -- noqa: AM04
