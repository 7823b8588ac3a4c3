{{ config(order_by='(org_id, repo_id)') }}

with

repos as (

    select * from {{ ref('int_repos_named') }}

),

final as (

    select
        org_id,
        repo_id,
        repo_name,
        provider,
        now64(6, 'UTC') as computed_at
    from repos

)

select * from final
