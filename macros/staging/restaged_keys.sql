{#- Incremental staging of a large dlt table. A full build deduplicates every raw row. An incremental run
    restages only the natural keys that some load newer than the table's latest `_dlt_load_id` touched:
    the pre-hook `delete_restaged_keys` removes their staged rows, and the model, filtered with
    `where_key_restaged`, deduplicates every raw version of those keys (not only the new ones, so a key's
    latest version always wins) and appends the result. A key whose latest version is a tombstone is
    deleted and not inserted again. Model and pre-hook each read the threshold before the delete runs.
    Loads must be committed in load-id order before dbt runs; the nightly job syncs, then builds. -#}

{% macro last_staged_load_id() -%}
    {%- if execute and is_incremental() -%}
        {%- set result = run_query('select max(_dlt_load_id) from ' ~ this) -%}
        {{- return(result.columns[0].values()[0] or '') -}}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}

{#- The raw keys of rows loaded after the last staged load, as `key_list` selects them from the source. -#}
{% macro restaged_raw_keys(source_relation, key_list) -%}
    select {{ key_list }}
    from {{ source_relation }}
    where _dlt_load_id > {{ sql_string_literal(last_staged_load_id()) }}
{%- endmacro %}

{#- The source CTE's filter: on an incremental run, only the raw rows of keys to restage. -#}
{% macro where_key_restaged(source_relation, raw_keys) -%}
    {%- if is_incremental() -%}
        where ({{ raw_keys | join(', ') }}) in ({{ restaged_raw_keys(source_relation, raw_keys | join(', ')) }})
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: on an incremental run, delete the staged rows of keys to restage. Staging casts some keys
    (a numeric review id becomes a string), so both sides compare as strings. -#}
{% macro delete_restaged_keys(source_relation, raw_keys, staged_keys) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where ({{ as_strings(staged_keys) }}) in ({{ restaged_raw_keys(source_relation, as_strings(raw_keys)) }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro sql_string_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{% macro as_strings(columns) -%}
    {%- for column in columns -%}toString({{ column }}){{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}
