{#- The import CTEs of the people activity marts: `dim_people`, `people` (the email each person is reported
    under; not with `with_emails=false`, for people_work_fingerprints_daily, which reads the emails the work rows
    carry), `bots`, and `commits`, `pull_requests` and `reviews` without bots' work (nor self-reviews). -#}
{% macro people_work_imports(with_emails=true) -%}
dim_people as (

    select * from {{ ref('dim_people') }}

),

    {%- if with_emails %}

-- the email a person is reported under: their primary email after identity resolution, else their id
people as (

    select
        org_id,
        person_id,
        if(primary_email = '', person_id, primary_email) as person_email
    from dim_people

),
    {%- endif %}

-- bots' work is not people's: the organization's bot patterns (dim_people.is_bot) leave it out
bots as (

    select (org_id, person_id) as bot
    from dim_people
    where is_bot

),

commits as (

    select * from {{ ref('int_commits_enriched') }}
    where not coalesce(author_is_bot, false)

),

pull_requests as (

    select * from {{ ref('int_pull_requests_lifecycle') }}
    where (org_id, author_person_id) not in (select bot from bots)

),

reviews as (

    select * from {{ ref('int_pr_reviews_resolved') }}
    where not is_self_review and (org_id, reviewer_person_id) not in (select bot from bots)

)
{%- endmacro %}
