{{ config(**append_only_mart('(org_id, repo_id, author_email, month)', 'month')) }}

with

{{ people_work_imports() }},

-- noqa: disable=PRS
{{ user_metrics_cells('month') }}
