{#- Whether `log`, a recompute log of keyed model `upstream`, holds everything the model recomputed after `since` up
    to `until`: the log's TTL (days) reaches back to `since`, and its stamp (create_recompute_log,
    log_deleted_days) is not after `since`; and for the keys log (recompute_log_table), the model was not rebuilt
    whole since (its oldest `_built_at` is not after `since`, and it is not empty), which the keys log does not
    record. The days log (deleted_days_log_table, `whole_rebuilds_logged`) records the days of a whole rebuild
    too, and those a full refresh replaces. The log's row in system.tables is read once; an unstamped log reads NULL,
    not 1970 (toDateTime64OrNull('') is 1970). -#}
{% macro recompute_log_covers(upstream, log, since, until, whole_rebuilds_logged=false) -%}
    {%- set not_rebuilt = 'true' if whole_rebuilds_logged
        else '(select count() > 0 and min(_built_at) <= ' ~ since ~ ' from ' ~ upstream ~ ')' -%}
    {{ return(run_query(
        "select ifNull(" ~ not_rebuilt
        ~ " and (select count() = 1"
        ~ " and " ~ since ~ " >= " ~ until ~ " - toIntervalDay(toUInt32OrZero(extract(any(engine_full),"
        ~ " 'toIntervalDay[(]([0-9]+)[)]')))"
        ~ " and toDateTime64OrNull(nullIf(extract(any(comment), '^" ~ recompute_log_stamp() ~ "(.+)$'), ''),"
        ~ " 6, 'UTC') <= " ~ since
        ~ " from system.tables where database = '" ~ log.schema ~ "' and name = '" ~ log.identifier ~ "'), 0)"
    ).rows[0][0]) }}
{%- endmacro %}
