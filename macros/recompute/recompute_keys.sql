{#- Pre-hook of a keyed intermediate: a table recomputed by key, not rebuilt. `plan` comes from the model's
    keys macro: `changed` selects the key columns `key_columns` of the keys whose inputs upstream changed since
    the table's last build (staged since then, by `_staged_at` > last_built_at, up to `built_at`, a
    build_clock literal); `stale` is a condition on this table's own columns naming rows recomputed too (their
    upstream is gone, or a small input they read changed), or a list of such conditions, each read on its own:
    ClickHouse filters by each IN in turn before reading further columns, but not across an OR, where it reads
    every column either side names for every row (int_change_lead_times' two logs at 2M commits: 0.44 s as one
    OR, 0.1 s as two reads). The hook stores the keys in recompute_keys_table,
    then deletes their rows (a mutation reading that one plain table: chDB hangs on a mutation whose subquery
    reads views or unions), and the model appends what its rule gives for them now
    (where_recomputed): a key whose inputs are gone is deleted and not appended again. The keys are also
    appended to recompute_log_table, where the models downstream read what this one recomputed since their own
    last build (keys_recomputed_since), deleted keys included; with the model's `deleted_days` config (the days a
    row counts on, an Array(Date) expression over its columns), the days of every row it deletes or a full
    refresh replaces go to deleted_days_log_table, where the day tables downstream find them
    (days_recomputed_since). When recomputes_everything, the table is emptied and refilled, but for the rows
    meeting `plan.kept` where the plan names it (a mart's rows from before the raw retention horizon, whose inputs
    have expired: the model appends none there). -#}
{% macro recompute_keys(plan, key_columns) -%}
    {#- each stale condition read on its own -#}
    {%- set stale_reads = [] -%}
    {%- for stale in ([plan.stale] if plan.stale is string else plan.stale) -%}
        {%- do stale_reads.append('select ' ~ key_columns | join(', ') ~ ' from ' ~ this ~ ' where ' ~ stale) -%}
    {%- endfor -%}
    {#- the days of the rows a build of every row deletes (log_deleted_days): a first build, a --full-refresh
        replacing the table (a unit test's `this` names no schema: nothing to log), a recompute of everything -#}
    {%- if execute and not flags.EMPTY and config.get('deleted_days') and this.schema -%}
        {%- if not is_incremental() -%}
            {%- do log_deleted_days('true' if load_relation(this) is not none else none, plan.built_at) -%}
        {%- elif recomputes_everything() -%}
            {%- do log_deleted_days('not (' ~ plan.kept ~ ')' if plan.get('kept') else 'true', plan.built_at) -%}
        {%- endif -%}
    {%- endif -%}
    {#- `dbt run --empty` reads every input as empty: deleting by what it sees would empty the table -#}
    {%- if not (execute and is_incremental()) or flags.EMPTY -%}
        select 1
    {%- elif recomputes_everything() and plan.get('kept') -%}
        delete from {{ this }} where not ({{ plan.kept }})
    {%- elif recomputes_everything() -%}
        truncate table {{ this }}
    {%- else -%}
        {%- set keys = recompute_keys_table() -%}
        {%- set key_list = key_columns | join(', ') -%}
        {%- set chosen -%}
            select distinct *, {{ plan.built_at }} as built_at
            from (
                select {{ key_list }} from ({{ plan.changed }})
                union all
                {{ stale_reads | join('\nunion all\n') }}
            )
        {%- endset -%}
        {#- before the keys table is replaced: whether an earlier build chose keys -#}
        {%- set log = create_recompute_log(keys, chosen, plan.built_at) -%}
        {%- do run_query('drop table if exists ' ~ keys ~ ' ' ~ on_cluster_clause(this) ~ ' sync') -%}
        {#- the keys' columns as this table types them: planning `chosen` for its structure alone would cost as much
            as the insert's own planning of it (up to 0.9 s for the largest keys queries on a small warehouse) -#}
        {%- do run_query('create table ' ~ keys ~ ' ' ~ on_cluster_clause(this) ~ ' engine = ' ~ config.get('engine')
            ~ ' order by tuple() empty as select ' ~ key_list ~ ', ' ~ plan.built_at ~ ' as built_at from ' ~ this) -%}
        {%- do run_query('insert into ' ~ keys ~ ' ' ~ chosen) -%}
        {%- do run_query('insert into ' ~ log ~ ' select * from ' ~ keys) -%}
        {{ delete_rows_found(this, in_recompute_keys(key_columns, keys), plan.built_at) }}
    {%- endif -%}
{%- endmacro %}
