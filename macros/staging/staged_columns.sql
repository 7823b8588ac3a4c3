{#- The staged columns of raw table `<dataset>___<entity>`, as the raw contract
    (src/devhealth/extract/raw_contract.yml, whose header gives the rules) declares them, per kind (ids, attributes,
    numerics, timestamps) as (expression, staged name): the keys that are ids first, never NULL, and the load id
    and staging time when the entity is incremental; then every other column cast by its type unless the
    contract's `staged` says otherwise (a staged name, lower-cased, JSON read as an array, a default, not staged). -#}
{% macro staged_columns(dataset, entity) -%}
    {%- set declared = raw_contract()[entity] -%}
    {%- set casts = {'String': 'toString', 'Int64': 'toInt64', 'Float64': 'toFloat64'} -%}
    {%- set sections = {'ids': [], 'attributes': [], 'numerics': [], 'timestamps': []} -%}
    {%- for name, data_type, is_key in raw_contract_tables()[dataset ~ '___' ~ entity] -%}
        {%- set staged = declared['staged'].get(name, {}) -%}
        {%- set stage = staged.get('stage') -%}
        {%- set default = none -%}
        {%- if 'default' in staged -%}
            {%- set default = staged['default'] -%}
        {%- elif name == 'provider' -%}
            {#- a provider's own tables: a row that does not name its provider is the dataset's -#}
            {%- set default = dataset -%}
        {%- elif is_key and data_type == 'String' -%}
            {%- set default = '' -%}
        {%- elif stage == 'json_array' -%}
            {%- set default = '[]' -%}
        {%- endif -%}
        {%- if data_type == 'Bool' -%}
            {%- set expression = 'coalesce(' ~ name ~ ', false)' -%}
        {%- elif data_type.startswith('DateTime64') -%}
            {%- set expression = 'toDateTime64(' ~ name ~ ", 6, 'UTC')" -%}
        {%- else -%}
            {%- set expression = casts[data_type] ~ '(' ~ name ~ ')' -%}
        {%- endif -%}
        {%- if is_key and data_type == 'Int64' -%}
            {%- set expression = 'coalesce(' ~ expression ~ ', 0)' -%}
        {%- elif default is not none -%}
            {%- set expression = 'coalesce(' ~ expression ~ ', ' ~ sql_string_literal(default) ~ ')' -%}
        {%- endif -%}
        {%- if stage == 'lower' -%}
            {%- set expression = 'lower(' ~ expression ~ ')' -%}
        {%- elif stage == 'json_array' -%}
            {%- set expression = 'JSONExtract(' ~ expression ~ ", 'Array(String)')" -%}
        {%- endif -%}
        {#- a key that is an id leads the select list; a time key stays with the timestamps -#}
        {%- if is_key and data_type in ('String', 'Int64') -%}
            {%- set section = 'ids' -%}
        {%- elif data_type in ('String', 'Bool') -%}
            {%- set section = 'attributes' -%}
        {%- elif data_type in ('Int64', 'Float64') -%}
            {%- set section = 'numerics' -%}
        {%- else -%}
            {%- set section = 'timestamps' -%}
        {%- endif -%}
        {%- if stage != 'skip' -%}
            {%- do sections[section].append((expression, staged.get('staged_name', name))) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if declared['incremental'] -%}
        {%- do sections['ids'].append(('latest_load_id', '_dlt_load_id')) -%}
        {#- when this build staged the row: the keyed intermediates recompute the keys staged since their own
            last build (recompute_keys), one clock for every provider, where load ids are each dataset's -#}
        {%- do sections['ids'].append(("now64(6, 'UTC')", '_staged_at')) -%}
    {%- endif -%}
    {{ return(sections) }}
{%- endmacro %}
