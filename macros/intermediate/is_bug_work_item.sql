{#- Whether a work item is a bug, in one place: int_work_items_lifecycle's is_bug, which the work-item marts and
    DORA rework (int_deployment_outcomes) read: its type or one of its labels, lower-cased, matches `pattern`,
    the bug_work_item row of seed rework_link_rules. Jira says bug in the type (Bug, Defect); GitHub and GitLab
    issues in a label (bug, type::bug, kind/bug, Type: Bug). An empty pattern names no bug. -#}
{% macro is_bug_work_item(type_column, labels_column, pattern) -%}
    (
        {{ pattern }} != ''
        and (
            match(lower(coalesce({{ type_column }}, '')), {{ pattern }})
            or arrayExists(label -> match(lower(label), {{ pattern }}), {{ labels_column }})
        )
    )
{%- endmacro %}
