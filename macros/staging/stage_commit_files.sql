{#- The staging model of the raw contract's commit_files (src/devhealth/extract/raw_contract.yml), for every provider
    that loads it: each stg_<provider>__commit_files is one call of this macro on its own source table. -#}
{% macro stage_commit_files(provider) -%}
    {%- set renamed -%}
        -- attributes
        toString(old_path) as old_path,
        toString(change_type) as change_type,
        coalesce(is_binary, false) as is_binary,

        -- numerics
        toInt64(lines_added) as lines_added,
        toInt64(lines_deleted) as lines_deleted
    {%- endset -%}
    {{ staging_model(provider, 'commit_files', renamed, incremental=true, renamed_keys={'sha': 'commit_sha'}) }}
{%- endmacro %}
