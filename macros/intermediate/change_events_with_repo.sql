{#- Change events with their repository's id: events name a change's repository by name, and the id comes from the
    repositories seen (int_repos_named), so an event waits for its repository. Read by int_changes_deduplicated
    and by what it recomputes (change_keys_to_recompute). -#}
{% macro change_events_with_repo() -%}
    select
        events_changes.org_id as org_id,
        repos.repo_id as repo_id,
        events_changes.commit_sha as commit_sha,
        events_changes.created_at as created_at,
        events_changes.author_email as author_email
    from {{ ref('stg_events__changes') }} as events_changes
    inner join {{ ref('int_repos_named') }} as repos
        on
            events_changes.org_id = repos.org_id
            and lower(events_changes.repo_name) = lower(repos.repo_name)
{%- endmacro %}
