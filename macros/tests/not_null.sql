{#- dbt's not_null, made to mean something on ClickHouse. Most columns here are not Nullable, and with
    join_use_nulls = 0 an unmatched join leaves the type's default ('' for a string, 0, 1970-01-01) where
    another engine leaves NULL, so an `is null` test could never fail. This one fails on NULL and on the
    column type's default. A column whose default is a real value (an email identity's empty provider, the
    '' team of unassigned work) sets `allow_default: true`, which checks NULL only. -#}
{% test not_null(model, column_name, allow_default=false) %}
    {%- set type_default = 'defaultValueOfArgumentType(' ~ column_name ~ ')' %}
    {%- set missing_default = '' if allow_default else ' or ' ~ column_name ~ ' = ' ~ type_default %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is null{{ missing_default }}

{% endtest %}
