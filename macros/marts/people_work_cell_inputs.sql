{#- The `cell_inputs` CTE of the people activity marts (after people_work_imports): every row of a person's work,
    hashed with the person and email it is reported under, into its UTC `period` ('day' or 'month'). -#}
{% macro people_work_cell_inputs(period) -%}
-- every row of people's work, hashed with the person and email it is reported under: a period is recomputed
-- when its fingerprint changes, so an identity merge recomputes every period of the people concerned
cell_inputs as (

    select
        org_id,
        {{ utc_period('authored_at', period) }} as {{ period }},
        cityHash64(tuple(
            repo_id, commit_sha, author_person_id, author_primary_email, authored_at,
            lines_added, lines_deleted, lines_touched, files_changed
        )) as row_hash
    from commits
    where not is_merge and author_person_id != ''
    union all
    {{ pull_request_event_inputs(
        ['opened', 'merged', 'first_review'], period, ['author_person_id', 'author_primary_email'],
        "author_person_id != ''"
    ) }}
    union all
    select
        org_id,
        {{ utc_period('submitted_at', period) }} as {{ period }},
        cityHash64(tuple(
            'review', repo_id, pr_number, review_id, reviewer_person_id, reviewer_primary_email, submitted_at
        ))
            as row_hash
    from reviews
    where reviewer_person_id != ''

)
{%- endmacro %}
