{{ config(materialized='view') }}

with

github_pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

gitlab_pull_requests as (

    select * from {{ ref('stg_gitlab__pull_requests') }}

),

-- every provider's staging model has the same columns in the same order (the raw contract's shared shape)
final as (

    select * from github_pull_requests
    union all
    select * from gitlab_pull_requests

)

select * from final  -- noqa: AM04
