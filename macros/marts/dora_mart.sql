{#- The whole query of a DORA mart over one period (day, week, month or trailing_4_weeks): its inputs, the shared
    figures and bands of dora_period_metrics, and the rows it keeps. A calendar period's mart names its period
    period_start; the trailing four weeks' mart names it window_end_week, with its first week beside it, and
    lists its deployment-frequency columns before the key figures. Periods older than raw retention keep the
    rows they had: their inputs have expired from raw.

    Each row stores `_inputs_hash`, the fingerprint of what its figures read (dora_period_inputs): the
    facts_hash of every daily-facts row of its scope on a day the period reads, the rule (dora_period_metrics
    as rendered, and the model's own code) and the band thresholds. A rebuild computes every period's
    fingerprint from the facts' hashes alone, recomputes the periods whose fingerprint it does not find stored
    from the facts of the days they read (dora_period_days), and copies the other rows as they are, computed_at
    included: a new day recomputes the few periods that read it, where every build read every lead time of
    the history four times before. A first build, --full-refresh, --empty and a table built before the
    fingerprints compute every period (the marts' pre-hook adds `_inputs_hash` to such a table first, as 0,
    which no fingerprint is, so its rows past retention union with the new ones). -#}
{% macro dora_mart(period) -%}
    {%- set period_column = 'window_end_week' if period == 'trailing_4_weeks' else 'period_start' -%}
    {%- set first_day, last_day = dora_period_days(period, 'period_start') -%}
    {#- a unit test's `this` names no table: it builds from its given rows only -#}
    {%- set existing = load_relation(this) if execute and this.schema is string else none -%}
    {%- set existing_columns = [] if existing is none
        else adapter.get_columns_in_relation(existing) | map(attribute='name') | list -%}
    {%- set stored = existing
        if '_inputs_hash' in existing_columns and not flags.FULL_REFRESH and not flags.EMPTY else none -%}
    {%- set metrics = dora_period_metrics(period, 'recomputed_facts', latest_facts='daily_facts') -%}
    {%- set columns = [
        'org_id', 'scope_type', 'scope_id', 'scope_name', period_column,
    ] + (['window_start_week', 'deployments_count', 'deployment_days', 'median_weekly_deployment_days',
        'deployments_per_day'] if period == 'trailing_4_weeks' else ['deployments_count', 'deployment_days']) + [
        'lead_time_median_hours', 'change_failure_rate', 'rework_deployments_count', 'rework_rate',
        'time_to_restore_median_hours',
    ] + ([] if period == 'trailing_4_weeks' else [
        'median_weekly_deployment_days', 'monthly_deployment_days', 'deployments_per_day',
    ]) + [
        'deployment_frequency_band', 'lead_time_band', 'change_failure_rate_band', 'time_to_restore_band',
        '_inputs_hash', 'computed_at',
    ] -%}
    {#- the rule: the figures' SQL as rendered and the columns kept (a column added reaches every period) -#}
    {%- set rendered = metrics ~ columns | join(', ') -%}
    {%- set rendered = local_md5(rendered) if local_md5 is defined else rendered | length -%}
    {%- set rule = cell_salt("'" ~ rendered ~ "', (select cityHash64(*) from thresholds)") -%}
    {#- a first build (or a table without fingerprints) changes every period -#}
    {%- set not_stored = "(org_id, scope_type, scope_id, period_start, inputs_hash) not in (select org_id, "
        ~ "scope_type, scope_id, " ~ period_column ~ ", _inputs_hash from " ~ stored ~ ")" if stored else "true" -%}
    {%- set changed -%}
        select
            org_id,
            scope_type,
            scope_id,
            period_start,
            inputs_hash
        from period_inputs
        where {{ not_stored }} and {{ within_retention('period_start') }}
    {%- endset -%}
    {%- set kept_rows -%}
        {%- if stored %}
union all
-- the periods whose fingerprint is unchanged, as the last build computed them
select {{ columns | join(', ') }}
from {{ stored }}
where
    ({{ ['org_id', 'scope_type', 'scope_id', period_column, '_inputs_hash'] | join(', ') }}) in (
        select * from period_inputs
    )
    and {{ within_retention(period_column) }}
        {%- endif %}
    {%- endset %}
with

daily_facts as (

    select * from {{ ref('int_dora_daily_facts') }}

),

dora_band_thresholds as (

    select * from {{ ref('dora_band_thresholds') }}

),

thresholds as (

    {{ dora_thresholds('dora_band_thresholds') }}

),

-- every period's fingerprint, from the hashes of the facts it reads
period_inputs as (

    {{ dora_period_inputs(period, rule) }}

),

-- the periods whose fingerprint the last build did not store (new, or reading a changed day), with it
changed_periods as (

    {{ changed }}

),

-- the facts of the days the changed periods read, from each scope's first to its last
changed_days as (

    select
        org_id,
        scope_type,
        scope_id,
        min({{ first_day }}) as first_day,
        max({{ last_day }}) as last_day
    from changed_periods
    group by org_id, scope_type, scope_id

),

recomputed_facts as (

    select daily_facts.*
    from daily_facts
    inner join changed_days
        on
            daily_facts.org_id = changed_days.org_id
            and daily_facts.scope_type = changed_days.scope_type
            and daily_facts.scope_id = changed_days.scope_id
    where daily_facts.day between changed_days.first_day and changed_days.last_day

),

{{ metrics }},

recomputed as (

    select
        dora_periods.*,
        dora_periods.period_start as window_end_week,
        dora_periods.period_start - 21 as window_start_week,
        changed_periods.inputs_hash as _inputs_hash,
        now64(6, 'UTC') as computed_at
    from dora_periods
    inner join changed_periods
        on
            dora_periods.org_id = changed_periods.org_id
            and dora_periods.scope_type = changed_periods.scope_type
            and dora_periods.scope_id = changed_periods.scope_id
            and dora_periods.period_start = changed_periods.period_start

)

select {{ columns | join(', ') }} from recomputed
{{ kept_rows }}{{ rows_past_retention(period_column) }}
{%- endmacro %}
