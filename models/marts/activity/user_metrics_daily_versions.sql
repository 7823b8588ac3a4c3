{{ config(**append_only_mart('(org_id, repo_id, author_email, day)', 'day')) }}
-- the cells' fingerprints, read in macro cell_inputs_from_day_fingerprints: named here too, so a partial parse sees it
-- depends_on: {{ ref('people_work_fingerprints_daily') }}

with

{{ people_work_imports() }},

-- noqa: disable=PRS
{{ user_metrics_cells('day') }}
