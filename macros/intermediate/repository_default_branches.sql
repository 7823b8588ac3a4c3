{#- Each repository's default branch (org_id, repo_id, default_branch; '' when no provider names one) from the
    staged repositories of both providers: a repository named by both (a mirror) takes the greater name, as
    one provider names it almost always. int_ci_runs_classified flags a run's default branch by it
    (is_default_branch_run), and ci_run_keys_to_recompute finds the stored runs whose flag it turned. -#}
{% macro repository_default_branches(github_repositories, gitlab_repositories) -%}
    select
        org_id,
        repo_id,
        max(coalesce(default_branch, '')) as default_branch
    from (
        {{ union_columns(['org_id', 'repo_id', 'default_branch'], [
            (github_repositories, {}),
            (gitlab_repositories, {}),
        ]) }}
    ) as repositories
    group by org_id, repo_id
{%- endmacro %}
