{{ config(
    order_by='(org_id, repo_id, author_email, month)',
    projections=[latest_computations_projection('month')]
) }}

with

{{ people_work_imports() }},

-- noqa: disable=PRS
{{ user_metrics_cells('month') }}
