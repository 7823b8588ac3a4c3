{{ config(materialized='view') }}

with

github_pr_commits as (

    select * from {{ ref('stg_github__pr_commits') }}

),

gitlab_pr_commits as (

    select * from {{ ref('stg_gitlab__pr_commits') }}

),

final as (

    select * from github_pr_commits
    union all
    select * from gitlab_pr_commits

)

select * from final
