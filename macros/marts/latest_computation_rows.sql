{#- The rows of each org and period's latest computation in an append-only `_versions` mart, as the CTEs
    `latest_computations` and `latest_computation_rows`: what the mart's view shows. A key that computation no
    longer produced (a person merged into another, an item moved to another team) is gone rather than left
    stale, and an empty-cell marker hides its cell. The columns are the versions table's but its bookkeeping
    (cell_fingerprint, is_empty_cell); computed_at stays, so a reader sees when a figure was computed. -#}
{% macro latest_computation_rows(versions, period='day') -%}
latest_computations as (

    -- the shape latest_computations_projection answers from the projection, without scanning the versions
    select
        org_id,
        {{ period }},
        max(computed_at) as latest_computed_at
    from {{ versions }}
    group by org_id, {{ period }}

),

latest_computation_rows as (

    select * except (cell_fingerprint, is_empty_cell)
    from {{ versions }}
    -- global: on a cluster the latest computations are found once, across shards, and sent to each shard
    where
        not is_empty_cell
        and (org_id, {{ period }}, computed_at) global in (
            select
                org_id,
                {{ period }},
                latest_computed_at
            from latest_computations
        )

)
{%- endmacro %}
