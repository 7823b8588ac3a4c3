{# chDB dispatches to dbt-clickhouse's implementations; this folder holds only chDB-specific overrides. #}
