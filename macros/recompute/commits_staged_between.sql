{#- The commits (org_id, repo_id, commit_sha) staged after `since` up to `until` (build_clock literals), from each
    commit staging table: among them, any whose row int_commits_enriched dropped since (an author time gone or
    out of range, the API's version of a commit now cloned), which no `_built_at` names. -#}
{% macro commits_staged_between(since, until) -%}
    {{ commit_keys_where('_staged_at > ' ~ since ~ ' and _staged_at <= ' ~ until) }}
{%- endmacro %}
