{#- A model's grain in one pass: fails with each key combination that occurs more than once, or whose key
    columns hold NULL or their type's default (as macros/tests/not_null.sql reads a missing value on
    ClickHouse). A key column whose default is a real value (an email identity's empty provider) is listed in
    `allow_default` and checked for NULL only. One test instead of one per key column keeps a build's fixed
    cost down: each test is a query and a node dbt schedules.
    `latest_build_only` (append-only `_versions` tables) checks the rows the latest build appended (the greatest
    computed_at): each build's rows are checked as it writes them, and rows an older version of the model wrote
    stay as they were (a key column added since reads its default there, as a plain build adds it in place). -#}
{% test grain(model, columns, allow_default=[], latest_build_only=false) %}
    {%- set missing = [] %}
    {%- for column in columns %}
        {%- if column in allow_default %}
            {%- do missing.append(column ~ ' is null') %}
        {%- else %}
            {%- do missing.append(column ~ ' is null or ' ~ column ~ ' = defaultValueOfArgumentType(' ~ column ~ ')') %}
        {%- endif %}
    {%- endfor %}

select
    {{ columns | join(', ') }},
    count() as occurrences
from {{ model }}
where {{ 'computed_at = (select max(computed_at) from ' ~ model ~ ')' if latest_build_only else 'true' }}
group by {{ columns | join(', ') }}
having occurrences > 1 or {{ missing | join(' or ') }}

{% endtest %}
