{#- A condition on a commit-keyed table's (org_id, repo_id, commit_sha): its commit left int_commits_unioned with
    nothing newer to stage, by a force push's tombstone (stg_git__commit_tombstones) or as an API commit of a
    repository now cloned (the clone's history replaces the API's). Staging drops such keys, so no `_staged_at`
    names them. -#}
{% macro commits_gone() -%}
    {%- set api_commits_of_clones = [] -%}
    {%- for api in ['stg_github__commits', 'stg_gitlab__commits'] -%}
        {#- the clone's repositories among the API's own: stg_git__commits finds them through its primary key
            instead of listing every repository of two million commits (0.23 s against 0.01 s, no API rows) -#}
        {%- do api_commits_of_clones.append('select org_id, repo_id, commit_sha from ' ~ ref(api)
            ~ ' where (org_id, repo_id) in (select org_id, repo_id from ' ~ ref('stg_git__commits')
            ~ ' where (org_id, repo_id) in (select org_id, repo_id from ' ~ ref(api) ~ '))') -%}
    {%- endfor -%}
    (org_id, repo_id, commit_sha) in (
        select
            org_id,
            repo_id,
            commit_sha
        from {{ ref('stg_git__commit_tombstones') }}
        union all
        {{ api_commits_of_clones | join(' union all ') }}
    )
{%- endmacro %}
