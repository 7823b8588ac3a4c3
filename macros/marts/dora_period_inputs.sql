{#- Every period of a DORA mart with the fingerprint of the facts it reads (dora_mart), as a query over the
    `daily_facts` CTE: (org_id, scope_type, scope_id, period_start, inputs_hash). A day reads the 28 days ending
    with it, a week the four ISO weeks ending with it, a month its days and those of the ISO weeks starting in
    it, a trailing window its four weeks (dora_period_metrics). A calendar period exists where it has facts of
    its own, a trailing window up to its org's latest week. Sums of 64-bit hashes: the same facts give the same
    fingerprint in any order. `rule` is a SQL expression hashed in beside the facts. -#}
{% macro dora_period_inputs(period, rule) -%}
    {%- if period in ('day', 'week') -%}
        {#- running sums over each scope's own periods, which are the periods that exist -#}
        {%- set own = 'day' if period == 'day' else 'toMonday(day)' -%}
select
    org_id,
    scope_type,
    scope_id,
    period_start,
    cityHash64(
        sum(period_hash) over (
            partition by org_id, scope_type, scope_id
            order by period_start
            range between {{ 27 if period == 'day' else 21 }} preceding and current row
        ),
        {{ rule }}
    ) as inputs_hash
from (
    select
        org_id,
        scope_type,
        scope_id,
        {{ own }} as period_start,
        sum(facts_hash) as period_hash
    from daily_facts
    group by org_id, scope_type, scope_id, period_start
)
    {%- else -%}
        {#- each fact row counted in every period reading it: at most four -#}
select
    daily_facts.org_id as org_id,
    daily_facts.scope_type as scope_type,
    daily_facts.scope_id as scope_id,
    period_start,
    cityHash64(sum(daily_facts.facts_hash), {{ rule }}) as inputs_hash
from daily_facts
        {%- if period == 'month' %}
-- its month, and the month its ISO week starts in
array join arrayDistinct([toStartOfMonth(daily_facts.day), toStartOfMonth(toMonday(daily_facts.day))]) as period_start
where (daily_facts.org_id, daily_facts.scope_type, daily_facts.scope_id, period_start) in (
    select
        org_id,
        scope_type,
        scope_id,
        toStartOfMonth(day)
    from daily_facts
)
        {%- else %}
-- the windows ending with its week and the three after
array join arrayMap(offset -> toMonday(daily_facts.day) + 7 * offset, range(4)) as period_start
inner join (
    select
        org_id,
        toMonday(max(day)) as last_week
    from daily_facts
    group by org_id
) as latest_weeks on daily_facts.org_id = latest_weeks.org_id
where period_start <= latest_weeks.last_week
        {%- endif %}
group by daily_facts.org_id, daily_facts.scope_type, daily_facts.scope_id, period_start
    {%- endif -%}
{%- endmacro %}
