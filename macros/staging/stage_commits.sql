{#- The staging model of the raw contract's commits (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__commits is one call of this macro on its own source table. A git clone
    records neither provider, login nor line counts of a commit (its files hold them). -#}
{% macro stage_commits(provider) -%}
    {%- set loaded = raw_value_columns(provider, 'commits') -%}
    {%- set renamed -%}
        JSONExtract(coalesce(parent_shas, '[]'), 'Array(String)') as parent_shas,

        -- attributes
        {%- if 'provider' in loaded %}
        coalesce(toString(provider), '{{ provider }}') as provider,
        {%- endif %}
        toString(repo_name) as repo_name,
        coalesce(is_merge, false) as is_merge,
        toString(message_subject) as message_subject,

        -- people
        toString(author_name) as author_name,
        lower(toString(author_email)) as author_email,
        {%- if 'author_login' in loaded %}
        toString(author_login) as author_login,
        {%- endif %}
        toString(committer_name) as committer_name,
        lower(toString(committer_email)) as committer_email,

        -- numerics
        toInt64(author_tz_offset_minutes) as author_tz_offset_minutes,
        toInt64(message_length) as message_length,
        {%- if 'lines_added' in loaded %}
        toInt64(lines_added) as lines_added,
        toInt64(lines_deleted) as lines_deleted,
        {%- endif %}

        -- timestamps
        toDateTime64(authored_at, 6, 'UTC') as authored_at,
        toDateTime64(committed_at, 6, 'UTC') as committed_at
    {%- endset -%}
    {{ staging_model(provider, 'commits', renamed, incremental=true, renamed_keys={'sha': 'commit_sha'}) }}
{%- endmacro %}
