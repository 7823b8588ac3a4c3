{{ config(materialized='view') }}

-- every provider's staging model has the same columns (the raw contract's shared shape), unioned by name
{{ union_staged('work_item_transitions', ['github', 'gitlab', 'jira']) }}
