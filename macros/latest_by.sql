{#- Deduplicate `relation` to the latest version of each natural key: one row per `keys`, holding the
    values of `columns` from the row with the highest `version_column` (the dlt load id), and that
    version as `latest_load_id`. Later loads win, so re-extracted rows never double count.
    One argMax over a tuple of every column keeps a single aggregate state per key (an argMax per column
    was several times slower on a million keys), and a tuple is never NULL, so a field cleared in the
    latest load (a reopened incident's resolved_at) reads NULL, not its old value. -#}
{% macro latest_by(relation, keys, columns, version_column='_dlt_load_id') -%}
    {%- set unpacked = [] -%}
    {%- for column in columns -%}
        {%- do unpacked.append('latest_row.' ~ loop.index ~ ' as ' ~ column) -%}
    {%- endfor -%}
    select
        {{ keys | join(', ') }},
        latest_load_id,
        {{ unpacked | join(', ') }}
    from (
        select
            {{ keys | join(', ') }},
            max({{ version_column }}) as latest_load_id,
            argMax(tuple({{ columns | join(', ') }}), {{ version_column }}) as latest_row
        from {{ relation }}
        group by {{ keys | join(', ') }}
    ) as versions
{%- endmacro %}
