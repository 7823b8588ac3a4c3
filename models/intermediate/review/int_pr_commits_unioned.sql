{{ config(materialized='view') }}

with

github_pr_commits as (

    select * from {{ ref('stg_github__pr_commits') }}

),

gitlab_pr_commits as (

    select * from {{ ref('stg_gitlab__pr_commits') }}

),

-- every provider's staging model has the same columns in the same order (the raw contract's shared shape)
final as (

    select * from github_pr_commits
    union all
    select * from gitlab_pr_commits

)

select * from final  -- noqa: AM04
