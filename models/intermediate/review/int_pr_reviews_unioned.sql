{{ config(materialized='view') }}

with

github_pr_reviews as (

    select * from {{ ref('stg_github__pr_reviews') }}

),

gitlab_pr_reviews as (

    select * from {{ ref('stg_gitlab__pr_reviews') }}

),

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
final as (

    {{ union_by_name([
        ('github_pr_reviews', 'stg_github__pr_reviews'),
        ('gitlab_pr_reviews', 'stg_gitlab__pr_reviews')
    ]) }}

)

select * from final  -- noqa: AM04
