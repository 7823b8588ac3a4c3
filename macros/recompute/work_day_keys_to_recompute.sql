{#- What a day table of work recomputes (recompute_keys, keys org_id and day): the days of the rows its keyed inputs
    wrote or deleted since its last build (days_recomputed_since), `inputs` being (model name, the row's person
    column or none) of keyed models with a `deleted_days` config (the days a row counts on). With a person
    column, the days of the work of the people whose identity resolution changed since too (person, primary
    email or bot flag: identities_unchanged_since), as the table reads who is a bot from dim_people, which no
    input row carries. Every day of every input, and every day stored, when a log cannot tell. -#}
{% macro work_day_keys_to_recompute(inputs) -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set people = inputs | map(attribute=1) | select | list -%}
    {%- set reidentified = people and execute and is_incremental() and not identities_unchanged_since(since) -%}
    {%- set reads = [] -%}
    {%- set told = [] -%}
    {%- for model_name, person in inputs -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) if execute else none -%}
        {%- set days = node.config.get('deleted_days') if node is not none else '[today()]' -%}
        {%- set recomputed = days_recomputed_since(model_name, days, since, until) -%}
        {%- if recomputed is none -%}
            {%- do reads.append('select org_id, arrayJoin(' ~ days ~ ') as day from ' ~ ref(model_name)) -%}
            {%- do told.append(false) -%}
        {%- else -%}
            {%- do reads.append(recomputed) -%}
        {%- endif -%}
        {%- if person and reidentified -%}
            {%- do reads.append(
                'select org_id, arrayJoin(' ~ days ~ ') as day from ' ~ ref(model_name)
                ~ ' where (org_id, ' ~ person ~ ') in (select org_id, person_id from '
                ~ ref('int_identities_resolved') ~ ' where resolution_changed_at > ' ~ since ~ ')'
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- every stored day too when a log cannot tell: a day whose rows all went is in no input any more -#}
    {{ return({
        'changed': reads | join('\nunion all\n'), 'stale': 'false' if told | length == 0 else 'true', 'built_at': until
    }) }}
{%- endmacro %}
