{#- The staging model of the raw contract's pull_requests (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__pull_requests is one call of this macro on its own source table. -#}
{% macro stage_pull_requests(provider) -%}
    {%- set renamed -%}
        toString(pr_id) as pr_id,
        toString(head_sha) as head_sha,
        toString(merge_commit_sha) as merge_commit_sha,

        -- attributes
        coalesce(toString(provider), '{{ provider }}') as provider,
        toString(repo_name) as repo_name,
        toString(title) as title,
        lower(toString(state)) as state,
        toString(base_branch) as base_branch,
        coalesce(requested_reviewers, '[]') as requested_reviewers_json,

        -- people
        toString(author_login) as author_login,
        lower(toString(author_email)) as author_email,

        -- numerics
        toInt64(additions) as additions,
        toInt64(deletions) as deletions,
        toInt64(changed_files) as changed_files,

        -- timestamps
        toDateTime64(created_at, 6, 'UTC') as created_at,
        toDateTime64(updated_at, 6, 'UTC') as updated_at,
        toDateTime64(merged_at, 6, 'UTC') as merged_at,
        toDateTime64(closed_at, 6, 'UTC') as closed_at
    {%- endset -%}
    {{ staging_model(provider, 'pull_requests', renamed, incremental=true) }}
{%- endmacro %}
