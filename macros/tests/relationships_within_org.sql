{#- Fails with each (org_id, column) pair of `model` that `to` does not hold as (org_id, field): ids are
    unique within an org only, so a plain relationships test on the id alone could pass across orgs.
    Empty and NULL values (no such parent, by definition) are left out. -#}
{% test relationships_within_org(model, column_name, to, field) %}

select
    org_id,
    {{ column_name }} as orphan_id
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} != ''
    and (org_id, {{ column_name }}) not in (select org_id, {{ field }} from {{ to }})

{% endtest %}
