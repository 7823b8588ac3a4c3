{{ config(
    order_by='(org_id, repo_id, author_email, day)',
    projections=[latest_computations_projection('day')]
) }}

with

{{ people_work_imports() }},

-- noqa: disable=PRS
{{ user_metrics_cells('day') }}
