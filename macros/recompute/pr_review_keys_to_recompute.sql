{#- What int_pr_reviews_resolved recomputes (recompute_keys), by pull request: those int_pull_requests_lifecycle
    computed since its last build, or recomputed (its log, keys_recomputed_since: deleted ones included), which
    covers a pull request, review or commit staged and an author whose person changed; those whose pull request or
    reviews were staged since (after the lifecycle's build clock); those with a review whose time has come within
    the plausible range since (is_plausible_time); and those with a reviewer whose person or primary email changed
    in int_identities_resolved, resolved again from the login and email stored (an identity merge or a login
    mapping touches every review of the people concerned, self-reviews among them). Every pull request when the
    lifecycle's log cannot tell. -#}
{% macro pr_review_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set lifecycle = ref('int_pull_requests_lifecycle') -%}
    {%- set changed -%}
        select org_id, repo_id, pr_number from {{ lifecycle }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
        {%- for unioned in ['int_pull_requests_unioned', 'int_pr_reviews_unioned'] %}
        union all
        select org_id, repo_id, pr_number from {{ ref(unioned) }}
        where _staged_at > {{ since }} and _staged_at <= {{ until }}
        {%- endfor %}
        union all
        select org_id, repo_id, pr_number from {{ ref('int_pr_reviews_unioned') }}
        where submitted_at > {{ since }} + toIntervalHour({{ var('future_tolerance_hours') }})
    {%- endset -%}
    {%- set lifecycle_recomputed = keys_recomputed_since('int_pull_requests_lifecycle', since, until) -%}
    {%- if lifecycle_recomputed is none -%}
        {%- set stale = 'true' -%}
    {%- else -%}
        {#- read only here: when every row is recomputed, the stored people need no reading -#}
        {%- set reidentified = people_reidentified(
            since, 'reviewer_login', 'reviewer_email', 'reviewer_person_id', 'reviewer_primary_email',
            reviewer_primary_email()
        ) -%}
        {#- each read on its own (recompute_keys) -#}
        {%- set stale = [in_recompute_keys(['org_id', 'repo_id', 'pr_number'], '(' ~ lifecycle_recomputed ~ ')')]
            + ([reidentified] if reidentified else []) -%}
    {%- endif -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
