{#- Incremental staging of a large dlt table. A full build deduplicates every raw row. An incremental run
    restages only the natural keys of loads committed since the table was last staged: the pre-hook
    `delete_restaged_keys` removes their staged rows, and the model, filtered with `where_key_restaged`,
    deduplicates every raw version of those keys (not only the new ones, so a key's latest version always
    wins) and appends the result. A key whose latest version is a tombstone is deleted and not inserted again.
    A load counts once dlt has committed it (its `_dlt_loads` row), in commit order: a sync that commits an
    older load id after a newer one, or rows a running load has written before it commits, are picked up by
    the next build, never skipped. Model and pre-hook each list the loads before the delete runs. -#}

{#- dlt's record of committed loads beside a raw table `<dataset>___<table>`: `<dataset>____dlt_loads`. -#}
{% macro dlt_loads_relation(source_relation) -%}
    {%- set dataset = source_relation.identifier.split('___')[0] -%}
    {{- return(api.Relation.create(
        database=source_relation.database, schema=source_relation.schema, identifier=dataset ~ '____dlt_loads')) -}}
{%- endmacro %}

{#- The ids of loads committed after the latest commit of a load this table holds; none before dlt has
    committed a load of the dataset. -#}
{% macro loads_to_restage(source_relation) -%}
    {%- set load_ids = [] -%}
    {%- set loads = dlt_loads_relation(source_relation) if execute and is_incremental() else none -%}
    {%- set listed -%}
        select load_id
        from {{ loads }}
        where status = 0 and inserted_at > (
            select max(inserted_at) from {{ loads }} where load_id in (select _dlt_load_id from {{ this }})
        )
        order by load_id
    {%- endset -%}
    {%- if loads is not none and load_relation(loads) is not none -%}
        {%- for row in run_query(listed).rows -%}
            {%- do load_ids.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(load_ids) -}}
{%- endmacro %}

{#- The raw keys of rows in the loads `load_ids`, as `key_list` selects them from the source. -#}
{% macro restaged_raw_keys(source_relation, key_list, load_ids) -%}
    {%- set quoted = [] -%}
    {%- for load_id in load_ids -%}
        {%- do quoted.append(sql_string_literal(load_id)) -%}
    {%- endfor -%}
    select {{ key_list }}
    from {{ source_relation }}
    where {{ '_dlt_load_id in (' ~ quoted | join(', ') ~ ')' if quoted else 'false' }}
{%- endmacro %}

{#- The source CTE's filter: on an incremental run, only the raw rows of keys to restage. -#}
{% macro where_key_restaged(source_relation, raw_keys) -%}
    {%- if is_incremental() -%}
        {%- set key_list = raw_keys | join(', ') %}
        where ({{ key_list }}) in ({{ restaged_raw_keys(source_relation, key_list, loads_to_restage(source_relation)) }})
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: on an incremental run with loads to restage, delete the staged rows of their keys. Staging
    casts some keys (a numeric review id becomes a string), so both sides compare as strings. -#}
{% macro delete_restaged_keys(source_relation, raw_keys, staged_keys) -%}
    {%- set load_ids = loads_to_restage(source_relation) -%}
    {%- if load_ids -%}
        delete from {{ this }}
        where ({{ as_strings(staged_keys) }}) in ({{ restaged_raw_keys(source_relation, as_strings(raw_keys), load_ids) }})
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
