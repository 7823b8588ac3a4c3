{#- What int_commit_files_attributed recomputes (recompute_keys): the files of the commits whose files were
    staged, or that int_commits_enriched computed again, since its last build (a commit's person, time and merge
    flag come from there), and of the commits gone (commits_gone). -#}
{% macro commit_file_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set changed -%}
        {#- an API file of a cloned repository chosen here is recomputed to nothing -#}
        {{ commit_keys_where('_staged_at > ' ~ since ~ ' and _staged_at <= ' ~ until,
            ['stg_git__commit_files', 'stg_github__commit_files']) }}
        union all
        select org_id, repo_id, commit_sha from {{ ref('int_commits_enriched') }}
        where _built_at > {{ since }} and _built_at <= {{ until }}
    {%- endset -%}
    {{ return({'changed': changed, 'stale': commits_gone(), 'built_at': until}) }}
{%- endmacro %}
