{#- The raw tables that exist and age by an event time: (table, timestamp column, has a table TTL) for every
    `<dataset>___<table>` whose table name is in var('raw_event_timestamps'), limited to
    `datasets` when given. dlt's `<dataset>_staging` tables only pass rows through to a merge.
    A listed table without its timestamp column breaks the raw contract. -#}
{% macro raw_event_tables(database, datasets=none) -%}
    {%- set timestamps = var('raw_event_timestamps') -%}
    {%- set listed -%}
        select
            t.name as table_name,
            groupArray(c.name) as column_names,
            any(position(t.engine_full, ' TTL ') > 0) as has_ttl
        from system.tables as t
        inner join system.columns as c on t.database = c.database and t.name = c.table
        where t.database = '{{ database }}' and position(t.name, '___') > 0
        group by t.name
        order by t.name
    {%- endset -%}
    {%- set found = [] -%}
    {%- for row in run_query(listed).rows -%}
        {%- set dataset, _, table = row[0].partition('___') -%}
        {%- set wanted = dataset in datasets if datasets is not none else not dataset.endswith('_staging') -%}
        {%- if table in timestamps and wanted -%}
            {%- for required in [timestamps[table], '_dlt_load_id'] if required not in row[1] -%}
                {%- do exceptions.raise_compiler_error(
                    database ~ '.' ~ row[0] ~ ': no column ' ~ required ~ ' to age rows by (see docs/raw_contract.md)') -%}
            {%- endfor -%}
            {%- do found.append((row[0], timestamps[table], row[2])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
