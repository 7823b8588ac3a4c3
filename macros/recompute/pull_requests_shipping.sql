{#- The merged pull requests (org_id, repo_id, pr_number) of int_pull_requests_lifecycle whose merge or head
    commit is among the commits `commits` selects (org_id, repo_id, commit_sha): the commits pr_cycle_breakdown
    reads a first deployment from. Each sha alone first, as in_recompute_keys: a column of every pull request
    compared with a few thousand commits (302,011 pull requests: 0.02 s, where an array join of both shas takes
    0.13 s). -#}
{% macro pull_requests_shipping(commits) -%}
    {#- the merge commit, then the head: one read each, as recompute_keys reads its stale conditions (an OR of the
        two read both columns of every pull request) -#}
    {%- set reads = [] -%}
    {%- for sha in ['merge_commit_sha', 'head_sha'] -%}
        {%- do reads.append(
            'select org_id, repo_id, pr_number from ' ~ ref('int_pull_requests_lifecycle')
            ~ ' where merged_at is not null and ' ~ sha ~ ' in (select commit_sha from (' ~ commits ~ '))'
            ~ ' and (org_id, repo_id, coalesce(' ~ sha ~ ", '')) in (" ~ commits ~ ')'
        ) -%}
    {%- endfor -%}
    {{ reads | join('\nunion all\n') }}
{%- endmacro %}
