{{ config(materialized='view') }}

with

github_pr_commits as (

    select * from {{ ref('stg_github__pr_commits') }}

),

gitlab_pr_commits as (

    select * from {{ ref('stg_gitlab__pr_commits') }}

),

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
final as (

    {{ union_by_name([
        ('github_pr_commits', 'stg_github__pr_commits'),
        ('gitlab_pr_commits', 'stg_gitlab__pr_commits')
    ]) }}

)

select * from final  -- noqa: AM04
