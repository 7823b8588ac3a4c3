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
    stay as they were (a key column added since reads its default there, as a plain build adds it in place).
    `written_at` (a table whose every write stamps its rows: staging's `_staged_at`, a keyed model's `_built_at`)
    checks the keys of the rows written since the last test that passed (grain_checks), counted over the whole
    table: a duplicate needs a row written since, as the table held none then (deletes add none), and only such
    a row can miss a key. A failed test records nothing, so the next one checks its rows again. On the first
    test of a table (or of a changed grain) the whole table is checked. 2.08M commit files: 0.11 s against
    0.27 s, and the difference grows with the history.
    A view (a union of staged tables, whose `_staged_at` it keeps) is checked the same way, known by its
    definition (table_uuid), with one more set of rows: a row may enter a view without being written, when the
    time that admits it comes (a run dated ahead of the clock) or when the row that hid it goes (an API commit of
    a repository no longer cloned). `entered_without_write` is a condition naming every row that may have entered
    since the last pass, `{since}` reading that pass's stamp: their keys are checked too. A view that filters
    its rows by anything but their own columns needs it; a plain union of staged tables does not. 2.08M commits:
    0.12 s against 0.24 s. -#}
{% test grain(
    model, columns, allow_default=[], latest_build_only=false, hash_first=none, written_at=none,
    entered_without_write=none
) %}
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
    {%- set signature = grain_signature(columns, allow_default, written_at, entered_without_write) %}
    {%- set since = grain_checked_through(relation, signature) if written_at and relation is not none else none %}
    {%- set fresh = '(' ~ written_at ~ ' > ' ~ since
        ~ (' or (' ~ entered_without_write | replace('{since}', since) ~ ')' if entered_without_write else '')
        ~ ')' if since else none %}
    {#- a view's keys written since travel as one array (below): past view_keys_at_once of them (a backfill), the
        view is checked whole instead, as the array would hold them all in memory (3.6M commit files: 4 GB) -#}
    {%- set view_keys_at_once = 100000 %}
    {%- if since and relation.is_view and run_query(
        'select count() > ' ~ view_keys_at_once ~ ' from (select 1 from ' ~ model ~ ' where ' ~ fresh
        ~ ' limit ' ~ (view_keys_at_once + 1) ~ ')'
    ).rows[0][0] %}
        {%- set since, fresh = none, none %}
    {%- endif %}

select
    {%- if written_at %}
    {#- read back by record_grain_checks, which sees the test's arguments unrendered #}
    -- grain_checks signature: {{ signature }}
    {%- endif %}
    {{ key }},
    count() as occurrences
from {{ model }}
where
    {{ checked }}
    {%- if since %}
    {#- one IN per key column first: each reads one column, and ClickHouse filters by them in turn before
        reading the tuple (the tuple alone: 0.43 s on 2.08M commit files; an OR beside them, 0.5 s) -#}
    {%- set written = '(select ' ~ key ~ ' from ' ~ model ~ ' where ' ~ fresh ~ ')' %}
    {%- if relation.is_view %}
    {#- a view's written keys are computed once, as one array (a scalar subquery): each IN reading the view
        computes it again (2.08M commit files: 0.14 s against 0.65 s; 0.1 s more to count them first) -#}
    {%- set keys_array = '(select groupArray(tuple(' ~ key ~ ')) from ' ~ written ~ ' as written)' %}
    {%- set elements = [] %}
    {%- for column in columns %}
        {%- do elements.append('tupleElement(written_key, ' ~ loop.index ~ ') as ' ~ column) %}
    {%- endfor %}
    {%- set written = '(select ' ~ elements | join(', ') ~ ' from (select arrayJoin(' ~ keys_array
        ~ ') as written_key))' %}
    {%- endif %}
    {%- for column in columns | reverse %}
    and {{ column }} in (select {{ column }} from {{ written }})
    {%- endfor %}
    and ({{ key }}) in (select {{ key }} from {{ written }})
    {%- elif by_hash_first %}
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
    {% if since %}
union all

-- a NULL key column matches no IN above: the rows written (or entered) since with one
select
    {{ key }},
    count() as occurrences
from {{ written }}
where {{ columns | join(' is null or ') }} is null
group by {{ key }}
{% endif %}
{% endtest %}
