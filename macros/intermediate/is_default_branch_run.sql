{#- Whether a CI run (its org_id, repo_id and branch) built its repository's default branch, as
    `default_branches` (a CTE of repository_default_branches) names it: never when no provider names one.
    int_ci_runs_classified flags its runs by it, and ci_run_keys_to_recompute compares a stored flag with it. -#}
{% macro is_default_branch_run(default_branches) -%}
    ((org_id, repo_id, branch) in (
        select org_id, repo_id, default_branch from {{ default_branches }} where default_branch != ''
    ))
{%- endmacro %}
