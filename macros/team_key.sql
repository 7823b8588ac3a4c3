{#- The one place a mart says how it names work no team owns. The work-item marts count such work under
    team_id '' (an unmatched join to the team's work scopes); dashboards and BI filter and label by these instead,
    so none of them re-derives the unassigned team. -#}
{% macro team_key(team_id) -%}
    if({{ team_id }} = '', 'unassigned', {{ team_id }})
{%- endmacro %}
