{#- Run before recompute_keys replaces the keys table: what create_recompute_log does to this keyed intermediate's
    log. None when the log is there and stamped with the build it starts at. Else the time to stamp it with:
    - 1970 for a log created before any build chose keys (no keys table yet: every earlier build rebuilt the
      table whole, which keys_recomputed_since sees by its `_built_at`), so the log misses no recomputed key;
    - this build's `built_at` when earlier builds chose keys with no log to append them to: a warehouse upgraded
      from a version without logs, or whose log was created before logs were stamped or was dropped. The models
      downstream then recompute every key once.
    The keys table is that trace: dropping the log alone is safe, dropping the keys table with it is not. -#}
{% macro recompute_log_start(keys, built_at) -%}
    {%- set log = recompute_log_table() -%}
    {%- set found = run_query(
        "select countIf(name = '" ~ log.identifier ~ "'), anyIf(comment, name = '" ~ log.identifier ~ "'),"
        ~ " countIf(name = '" ~ keys.identifier ~ "'), toString(" ~ built_at ~ ") from system.tables"
        ~ " where database = '" ~ log.schema ~ "' and name in ('" ~ log.identifier ~ "', '" ~ keys.identifier ~ "')"
    ).rows[0] -%}
    {%- if found[0] and found[1].startswith(recompute_log_stamp()) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'log_exists': found[0] > 0,
               'starts_at': found[3] if found[0] or found[2] else '1970-01-01 00:00:00.000000'}) }}
{%- endmacro %}
