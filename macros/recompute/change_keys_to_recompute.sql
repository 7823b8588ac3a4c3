{#- What int_changes_deduplicated recomputes (recompute_keys): the commits int_commits_enriched computed since its
    last build (newly within the plausible range, re-identified) and those staged since (commits_staged_between:
    also those int_commits_enriched dropped); the pull request commits staged since, or newly within the
    plausible range; the change events whose key and time it does not hold as an event's (new, moved, or whose
    repository has just been seen), and the rows it holds from an event no longer there; and the commits
    force-pushed away. -#}
{% macro change_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {#- per commit, the time the model keeps from its events: the earliest -#}
    {%- set events -%}
        select org_id, repo_id, commit_sha, min(assumeNotNull(created_at)) as event_created_at
        from ({{ change_events_with_repo() }})
        where created_at is not null and commit_sha != '' and {{ is_plausible_time('created_at') }}
        group by org_id, repo_id, commit_sha
    {%- endset -%}
    {%- set changed -%}
        select org_id, repo_id, commit_sha from {{ ref('int_commits_enriched') }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
        union all
        {{ commits_staged_between(since, until) }}
        union all
        select org_id, repo_id, commit_sha from {{ ref('int_pr_commits_unioned') }}
        where
            (_staged_at > {{ since }} and _staged_at <= {{ until }})
            or authored_at > {{ since }} + toIntervalHour({{ var('future_tolerance_hours') }})
        union all
        select org_id, repo_id, commit_sha from ({{ events }})
        where (org_id, repo_id, commit_sha, event_created_at) not in (
            select org_id, repo_id, commit_sha, created_at from {{ this }}
            where change_source = 'events' and (org_id, repo_id, commit_sha) in (
                select org_id, repo_id, commit_sha from ({{ events }})
            )
        )
    {%- endset -%}
    {#- each read on its own (recompute_keys) -#}
    {%- set force_pushed -%}
        (org_id, repo_id, commit_sha) in (
            select org_id, repo_id, commit_sha from {{ ref('stg_git__commit_tombstones') }}
        )
    {%- endset -%}
    {%- set event_gone -%}
        change_source = 'events'
        and (org_id, repo_id, commit_sha, created_at) not in (
            select org_id, repo_id, commit_sha, event_created_at from ({{ events }})
        )
    {%- endset -%}
    {%- set stale = [force_pushed, event_gone] -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
