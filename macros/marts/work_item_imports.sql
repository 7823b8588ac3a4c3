{#- The import CTEs of the work item marts: `work_items`, `team_work_scopes` and `teams`. -#}
{% macro work_item_imports() -%}
work_items as (

    select * from {{ ref('int_work_items_lifecycle') }}

),

team_work_scopes as (

    select * from {{ ref('int_team_work_scopes') }}

),

teams as (

    select * from {{ ref('int_teams_summarised') }}

)
{%- endmacro %}
