{#- A hook's delete of the rows of `relation` meeting `condition`, or a no-op when no row does. A lightweight
    DELETE is a mutation: it waits for the merges running on the table and writes a new version of every part,
    even when it matches nothing, which is what a refresh's delete mostly finds (the keys of new commits were
    never staged). A refresh at 2M commits waited 1.58 s on one such delete of stg_git__commit_files, right
    after a full build; the look costs what finding the rows costs (0.03 s there). With `days_logged_at` (a
    keyed model's build_clock), the days of the rows found go to its days log first (log_deleted_days). -#}
{% macro delete_rows_found(relation, condition, days_logged_at=none) -%}
    {%- set found = run_query('select 1 from ' ~ relation ~ ' where ' ~ condition ~ ' limit 1') if execute else none -%}
    {%- if days_logged_at is not none and found is not none and found.rows | length > 0 -%}
        {%- do log_deleted_days(condition, days_logged_at) -%}
    {%- endif -%}
    {%- if found is none or found.rows | length > 0 -%}
        delete from {{ relation }} where {{ condition }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
