{#- The team's name to show, '(unassigned)' for work no team owns (`team_name` reads '' there: the unmatched
    join to the teams). -#}
{% macro team_label(team_id, team_name) -%}
    if({{ team_id }} = '', '(unassigned)', {{ team_name }})
{%- endmacro %}