{#- The `cell_inputs` CTE of the people activity marts, with its import CTE: each UTC day's fingerprint of people's
    work (people_work_fingerprints_daily), under the `period` ('day' or 'month') it falls in. -#}
{% macro people_work_cell_inputs(period) -%}
    {%- if period not in ['day', 'month'] -%}
        {%- do exceptions.raise_compiler_error('people_work_cell_inputs: period ' ~ period ~ ' is not day or month') -%}
    {%- endif -%}
people_work_fingerprints as (

    select * from {{ ref('people_work_fingerprints_daily') }}

),

-- a period is recomputed when the sum of its days' fingerprints changes, which hash every row of people's work
-- with the person and email it is reported under: an identity merge recomputes every period of the people
-- concerned
cell_inputs as (

    select
        org_id,
        {{ 'day' if period == 'day' else 'toStartOfMonth(day) as month' }},
        fingerprint as row_hash
    from people_work_fingerprints

)
{%- endmacro %}
