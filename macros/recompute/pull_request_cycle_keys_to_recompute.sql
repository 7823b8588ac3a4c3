{#- What pr_cycle_breakdown recomputes (recompute_keys), from the logs of its two inputs (keys_recomputed_since):
    the pull requests int_pull_requests_lifecycle recomputed since its last build (a new, late, re-identified,
    unmerged or gone pull request), and those whose merge or head commit int_change_lead_times recomputed since
    (deployed, deployed earlier, or no longer deployed). Every pull request when a log cannot tell. -#}
{% macro pull_request_cycle_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set pull_requests = keys_recomputed_since('int_pull_requests_lifecycle', since, until) -%}
    {%- set lead_times = keys_recomputed_since('int_change_lead_times', since, until) -%}
    {%- if pull_requests is none or lead_times is none -%}
        {%- set changed = 'select org_id, repo_id, pr_number from ' ~ ref('int_pull_requests_lifecycle') -%}
        {%- set stale = 'true' -%}
    {%- else -%}
        {%- set changed -%}
            {{ pull_requests }}
            union all
            select org_id, repo_id, pr_number from {{ ref('int_pull_requests_lifecycle') }}
            where
                (org_id, repo_id, merge_commit_sha) in ({{ lead_times }})
                or (org_id, repo_id, head_sha) in ({{ lead_times }})
        {%- endset -%}
        {%- set stale = 'false' -%}
    {%- endif -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
