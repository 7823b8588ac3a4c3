{#- One row per org and work scope of `work_items`: the keys of the teams owning the scope, ['unassigned'] when
    no team does, for the marts whose grain is the work scope rather than the team (a team filter reads
    `hasAny(team_keys, [...])`, and an item owned by two teams still counts once under "All"). -#}
{% macro work_scope_team_keys(work_items, team_work_scopes) -%}
    select
        scopes.org_id as org_id,
        scopes.work_scope_id as work_scope_id,
        arraySort(groupUniqArray({{ team_key(team_work_scopes ~ '.team_id') }})) as team_keys
    from (select distinct org_id, work_scope_id from {{ work_items }}) as scopes
    left join {{ team_work_scopes }}
        on
            scopes.org_id = {{ team_work_scopes }}.org_id
            and scopes.work_scope_id = {{ team_work_scopes }}.work_scope_id
    group by scopes.org_id, scopes.work_scope_id
{%- endmacro %}
