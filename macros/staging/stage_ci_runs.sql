{#- The staging model of the raw contract's ci_runs (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__ci_runs is one call of this macro on its own source table. Only GitHub
    records a run's attempt and creation time. -#}
{% macro stage_ci_runs(provider) -%}
    {%- set loaded = raw_value_columns(provider, 'ci_runs') -%}
    {%- set renamed -%}
        toString(head_sha) as head_sha,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(pipeline_name) as pipeline_name,
        toString(branch) as branch,
        toString(status) as status,
        lower(toString(conclusion)) as conclusion,
        {%- if 'run_attempt' in loaded %}
        toInt64(run_attempt) as run_attempt,
        {%- endif %}

        -- timestamps
        toDateTime64(started_at, 6, 'UTC') as started_at,
        toDateTime64(finished_at, 6, 'UTC') as finished_at
        {%- if 'created_at' in loaded %},
        toDateTime64(created_at, 6, 'UTC') as created_at
        {%- endif %}
    {%- endset -%}
    {{ staging_model(provider, 'ci_runs', renamed, incremental=true) }}
{%- endmacro %}
