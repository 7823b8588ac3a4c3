{{ config(materialized='view') }}

with

github_pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

gitlab_pull_requests as (

    select * from {{ ref('stg_gitlab__pull_requests') }}

),

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
final as (

    {{ union_by_name([
        ('github_pull_requests', 'stg_github__pull_requests'),
        ('gitlab_pull_requests', 'stg_gitlab__pull_requests')
    ]) }}

)

select * from final  -- noqa: AM04
