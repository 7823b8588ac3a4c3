{#- a view: a handful of rows, read by the keyed intermediates' pre-hooks only -#}
{{ config(materialized='view') }}

with

source as (

    select * from {{ source('git', 'commits') }}

),

final as (

    select distinct
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(repo_id), '') as repo_id,
        coalesce(toString(sha), '') as commit_sha
    from source
    where coalesce(is_removed, false)

)

select * from final
