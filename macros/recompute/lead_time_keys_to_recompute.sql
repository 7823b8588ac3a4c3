{#- What int_change_lead_times recomputes (recompute_keys): the commits of the rows int_deployment_changes and
    int_changes_deduplicated computed since its last build; the commits whose first deployment was recomputed or
    is gone there (it holds no row of that deployment from before: a recomputed deployment's rows are all new,
    and a commit it no longer ships has none); and those whose change int_changes_deduplicated no longer holds
    (an event whose repository was renamed, with no other source), which no `_built_at` names. A commit
    force-pushed away so leaves: int_deployment_changes recomputes the deployments shipping it. -#}
{% macro lead_time_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set changed -%}
        select org_id, repo_id, commit_sha from {{ ref('int_deployment_changes') }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
        union all
        select org_id, repo_id, commit_sha from {{ ref('int_changes_deduplicated') }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
    {%- endset -%}
    {%- set stale -%}
        (
            change_created_at is not null
            and (org_id, repo_id, commit_sha) not in (
                select org_id, repo_id, commit_sha from {{ ref('int_changes_deduplicated') }}
            )
        )
        or (org_id, first_deployment_provider, repo_id, first_deployment_id) not in (
            select distinct org_id, provider, repo_id, deployment_id from {{ ref('int_deployment_changes') }}
            where _built_at <= {{ since }}
        )
    {%- endset -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
