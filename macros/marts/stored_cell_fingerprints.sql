{#- Each cell's fingerprint at its latest computation, as the append-only mart being built stores it. -#}
{% macro stored_cell_fingerprints(period='day') -%}
select
    org_id,
    {{ period }},
    argMax(cell_fingerprint, computed_at) as stored_fingerprint
from {{ this }}
group by org_id, {{ period }}
{%- endmacro %}
