{#- What int_change_lead_times recomputes (recompute_keys): the commits of the rows int_deployment_changes and
    int_changes_deduplicated computed since its last build; and, from their logs (keys_recomputed_since), the
    commits whose first deployment int_deployment_changes recomputed since (a deployment gone, or no longer
    shipping the commit) and those int_changes_deduplicated recomputed since (a change no longer held: an event
    whose repository was renamed, with no other source), which no `_built_at` names. Every commit when a log
    cannot tell. A commit force-pushed away so leaves: int_deployment_changes recomputes the deployments
    shipping it. -#}
{% macro lead_time_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set changed -%}
        select org_id, repo_id, commit_sha from {{ ref('int_deployment_changes') }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
        union all
        select org_id, repo_id, commit_sha from {{ ref('int_changes_deduplicated') }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
    {%- endset -%}
    {%- set changes_recomputed = keys_recomputed_since('int_changes_deduplicated', since, until) -%}
    {%- set deployments_recomputed = keys_recomputed_since('int_deployment_changes', since, until) -%}
    {%- if changes_recomputed is none or deployments_recomputed is none -%}
        {%- set stale = 'true' -%}
    {%- else -%}
        {#- the sha or deployment id alone first, as in_recompute_keys; each read on its own (recompute_keys) -#}
        {%- set stale = [
            in_recompute_keys(['org_id', 'repo_id', 'commit_sha'], '(' ~ changes_recomputed ~ ')'),
            'first_deployment_id in (select deployment_id from (' ~ deployments_recomputed ~ ')) and (org_id, '
                ~ 'first_deployment_provider, repo_id, first_deployment_id) in (' ~ deployments_recomputed ~ ')',
        ] -%}
    {%- endif -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
