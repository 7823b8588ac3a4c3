{{ config(materialized='view') }}

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
{{ union_staged('pull_requests', ['github', 'gitlab']) }}
