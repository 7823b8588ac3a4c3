{#- What pr_cycle_breakdown recomputes (recompute_keys): the pull requests int_pull_requests_lifecycle computed
    since its last build, and those whose merge or head commit int_change_lead_times computed since (its first
    deployment is the pull request's); from their logs (keys_recomputed_since), the pull requests the lifecycle
    recomputed since (deleted ones included) and those whose merge or head commit's lead time was (a deployment
    gone takes its deployed_at away). Every pull request when a log cannot tell. Once raw retention is applied, a
    pull request the mart holds from before the horizon keeps its row (within_retention): its inputs expire; an
    edited model recomputes every other one (`kept`). -#}
{% macro pr_cycle_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set lifecycle, lead_times = ref('int_pull_requests_lifecycle'), ref('int_change_lead_times') -%}
    {%- set horizon = retention_horizon() -%}
    {%- set lead_times_since -%}
        select org_id, repo_id, commit_sha from {{ lead_times }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
    {%- endset -%}
    {%- set changed -%}
        select org_id, repo_id, pr_number from {{ lifecycle }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
        union all
        {{ pull_requests_shipping(lead_times_since) }}
    {%- endset -%}
    {%- set lifecycle_recomputed = keys_recomputed_since('int_pull_requests_lifecycle', since, until) -%}
    {%- set lead_times_recomputed = keys_recomputed_since('int_change_lead_times', since, until) -%}
    {%- if lifecycle_recomputed is none or lead_times_recomputed is none -%}
        {%- set stale = 'true' -%}
    {%- else -%}
        {#- each read on its own (recompute_keys) -#}
        {%- set stale = [
            in_recompute_keys(['org_id', 'repo_id', 'pr_number'], '(' ~ lifecycle_recomputed ~ ')'),
            '(org_id, repo_id, pr_number) in (' ~ pull_requests_shipping(lead_times_recomputed) ~ ')',
        ] -%}
    {%- endif -%}
    {%- if horizon -%}
        {%- set changed -%}
            select org_id, repo_id, pr_number from ({{ changed }})
            where (org_id, repo_id, pr_number) not in (
                select org_id, repo_id, pr_number from {{ this }} where merged_day < {{ horizon }}
            )
        {%- endset -%}
        {%- set within = [] -%}
        {%- for condition in ([stale] if stale is string else stale) -%}
            {%- do within.append('(' ~ condition ~ ') and merged_day >= ' ~ horizon) -%}
        {%- endfor -%}
        {%- set stale = within -%}
    {%- endif -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until,
        'kept': 'merged_day < ' ~ horizon if horizon else none}) }}
{%- endmacro %}
