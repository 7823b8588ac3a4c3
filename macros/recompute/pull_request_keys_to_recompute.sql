{#- What int_pull_requests_lifecycle recomputes (recompute_keys): the pull requests staged, or with reviews or
    commits staged, since its last build; those whose opening or merge time has come within the plausible range
    since (is_plausible_time); and those whose author's person or primary email changed in
    int_identities_resolved (an identity merge or a login mapping touches every pull request of the people
    concerned). A pull request whose raw rows expired under raw retention keeps its row, as the commits do. -#}
{% macro pull_request_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set changed -%}
        {%- for unioned in ['int_pull_requests_unioned', 'int_pr_reviews_unioned', 'int_pr_commits_unioned'] %}
        select org_id, repo_id, pr_number from {{ ref(unioned) }}
        where _staged_at > {{ since }} and _staged_at <= {{ until }}
        union all
        {%- endfor %}
        select org_id, repo_id, pr_number from {{ ref('int_pull_requests_unioned') }}
        where
            created_at > {{ since }} + toIntervalHour({{ var('future_tolerance_hours') }})
            or merged_at > {{ since }} + toIntervalHour({{ var('future_tolerance_hours') }})
    {%- endset -%}
    {%- set stale = people_reidentified(
        since, 'author_login', 'author_email', 'author_person_id', 'author_primary_email',
        identity_attribute('primary_email')
    ) or 'false' -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
