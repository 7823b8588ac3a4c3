{%- set renamed -%}
    -- people
    lower(toString(author_email)) as author_email,

    -- timestamps
    toDateTime64(created_at, 6, 'UTC') as created_at
{%- endset -%}
{{ staging_model('events', 'changes', renamed, renamed_keys={'sha': 'commit_sha'}) }}
