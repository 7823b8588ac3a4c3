{#- A model's grain in one query: fails with each key combination that occurs more than once, or whose key
    columns hold NULL or their type's default (as macros/tests/not_null.sql reads a missing value on
    ClickHouse). A key column whose default is a real value (an email identity's empty provider) is listed in
    `allow_default` and checked for NULL only. One test instead of one per key column keeps a build's fixed
    cost down: each test is a query and a node dbt schedules.
    On a table, the key combinations are first counted by a 64-bit hash of the key, which groups millions of
    string keys 2.5 times faster than the keys themselves (1.8M commit files: 0.38 s against 0.94 s); only the
    rows whose hash occurs more than once, or with a key column missing, are then grouped by the key itself, so a
    hash collision between two keys can neither hide a duplicate nor report one. A view, or the subquery of a
    test's `where` config, is read once and grouped by the key: reading a view twice would compute it twice
    (rows_out_of_time_range: 0.17 s against 0.54 s). A view that only unions staged tables reads like a table, and
    says so with `hash_first: true` (int_commit_files_unioned, 3.6M rows: 0.98 s against 1.5 s).
    `latest_build_only` (append-only `_versions` tables) checks the rows the latest build appended (the greatest
    computed_at): each build's rows are checked as it writes them, and rows an older version of the model wrote
    stay as they were (a key column added since reads its default there, as a plain build adds it in place). -#}
{% test grain(model, columns, allow_default=[], latest_build_only=false, hash_first=none) %}
    {%- set missing = [] %}
    {%- for column in columns %}
        {%- if column in allow_default %}
            {%- do missing.append(column ~ ' is null') %}
        {%- else %}
            {%- do missing.append(column ~ ' is null or ' ~ column ~ ' = defaultValueOfArgumentType(' ~ column ~ ')') %}
        {%- endif %}
    {%- endfor %}
    {%- set key = columns | join(', ') %}
    {%- set key_missing = missing | join(' or ') %}
    {%- set checked = 'computed_at = (select max(computed_at) from ' ~ model ~ ')' if latest_build_only else 'true' %}
    {#- from dbt's relation cache, filled when the run starts; a test with a `where` config reads a subquery -#}
    {%- set relation = adapter.get_relation(model.database, model.schema, model.identifier)
        if execute and model is not string else none %}
    {%- set by_hash_first = relation is not none and (not relation.is_view if hash_first is none else hash_first) %}

select
    {{ key }},
    count() as occurrences
from {{ model }}
where
    {{ checked }}
    {%- if by_hash_first %}
    and (
        cityHash64({{ key }}) in (
            select cityHash64({{ key }}) as key_hash
            from {{ model }}
            where {{ checked }}
            group by key_hash
            having count() > 1
        )
        or {{ key_missing }}
    )
    {%- endif %}
group by {{ key }}
having occurrences > 1 or {{ key_missing }}

{% endtest %}
