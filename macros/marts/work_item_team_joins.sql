{#- The joins that put each row of `work_items` under every team owning its work scope, and under team '' when
    no team owns it (an unmatched join reads '', join_use_nulls = 0), with the team's row in `teams`. -#}
{% macro work_item_team_joins() -%}
    left join team_work_scopes
        on
            work_items.org_id = team_work_scopes.org_id
            and work_items.work_scope_id = team_work_scopes.work_scope_id
    left join teams
        on
            team_work_scopes.org_id = teams.org_id
            and team_work_scopes.team_id = teams.team_id
{%- endmacro %}
