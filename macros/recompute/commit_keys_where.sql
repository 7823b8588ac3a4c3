{#- The commit keys (org_id, repo_id, commit_sha) of the rows of staging tables `models` (by default, each commit
    staging table) that meet `condition`, one select per table: keyed tables choose commits from staging's
    tables, not the union views, which decide clone against API over every commit on each read. -#}
{% macro commit_keys_where(condition, models=['stg_git__commits', 'stg_github__commits', 'stg_gitlab__commits']) -%}
    {%- set selects = [] -%}
    {%- for model in models -%}
        {%- do selects.append('select org_id, repo_id, commit_sha from ' ~ ref(model) ~ ' where ' ~ condition) -%}
    {%- endfor -%}
    {{ selects | join(' union all ') }}
{%- endmacro %}
