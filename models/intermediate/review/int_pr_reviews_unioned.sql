{{ config(materialized='view') }}

with

github_pr_reviews as (

    select * from {{ ref('stg_github__pr_reviews') }}

),

gitlab_pr_reviews as (

    select * from {{ ref('stg_gitlab__pr_reviews') }}

),

-- every provider's staging model has the same columns in the same order (the raw contract's shared shape)
final as (

    select * from github_pr_reviews
    union all
    select * from gitlab_pr_reviews

)

select * from final  -- noqa: AM04
