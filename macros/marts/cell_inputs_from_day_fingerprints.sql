{#- The `cell_inputs` CTE of a mart whose cells' fingerprints a bookkeeping model holds per org and UTC day
    (`fingerprints`: people_work_fingerprints_daily, repo_work_fingerprints_daily), with its import CTE: each day's
    fingerprint under the `period` ('day' or 'month') it falls in, so a month's is the sum of its days'. -#}
{% macro cell_inputs_from_day_fingerprints(fingerprints, period) -%}
    {%- if period not in ['day', 'month'] -%}
        {%- do exceptions.raise_compiler_error(
            'cell_inputs_from_day_fingerprints: period ' ~ period ~ ' is not day or month'
        ) -%}
    {%- endif -%}
day_fingerprints as (

    select * from {{ ref(fingerprints) }}

),

-- a period is recomputed when the sum of its days' fingerprints changes: each hashes every input row of the day
cell_inputs as (

    select
        org_id,
        {{ 'day' if period == 'day' else 'toStartOfMonth(day) as month' }},
        fingerprint as row_hash
    from day_fingerprints

)
{%- endmacro %}
