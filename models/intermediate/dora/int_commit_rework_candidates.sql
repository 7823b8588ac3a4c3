-- noqa: disable=RF03
-- (sqlfluff reads lambda parameters as unqualified columns)
{#- keyed (recompute_keys): a refresh reads the subjects of the commits staged since, where int_deployment_outcomes
    matched the rules against every commit's subject on every build (2M commits: 0.49 s) -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    order_by='(org_id, repo_id, commit_sha)',
    rule_seeds=['rework_link_rules'],
    pre_hook=[
        "{{ recompute_keys(commit_candidate_keys_to_recompute(), ['org_id', 'repo_id', 'commit_sha']) }}",
        "{{ add_new_columns() }}"
    ]
) }}

-- depends_on: {{ ref('stg_git__commit_tombstones') }}, {{ ref('stg_git__commits') }}
-- depends_on: {{ ref('stg_github__commits') }}, {{ ref('stg_gitlab__commits') }}

with

commits as (

    select * from {{ ref('int_commits_unioned') }}
    {{- where_recomputed(['org_id', 'repo_id', 'commit_sha']) }}

),

rework_link_rules as (

    select * from {{ ref('rework_link_rules') }}

),

-- one row holding each enabled rule's pattern (blank when the rule is off)
rules as (

    select
        anyIf(coalesce(pattern, ''), link_type = 'bug_work_item' and enabled) as bug_pattern,
        anyIf(coalesce(pattern, ''), link_type = 'revert' and enabled) as revert_pattern,
        anyIf(coalesce(pattern, ''), link_type = 'hotfix' and enabled) as hotfix_pattern
    from rework_link_rules

),

-- what a commit's subject may link to: a revert (how many times in a row the subject opens with the revert
-- pattern, up to 8: odd is a revert, even, a revert of a revert, lands the reverted change again), a hotfix, and
-- the work item references (Jira-style keys org-wide, #123 within the commit's repository), which
-- int_deployment_outcomes looks up among the bug work items of its build. The patterns are scalar subqueries,
-- constants to ClickHouse, which compiles each regex once: as columns of a joined row, every row's match looks
-- its pattern up again (1.04M commits: 0.30 s against 0.46 s)
commit_candidates as (

    select
        commits.org_id as org_id,
        commits.repo_id as repo_id,
        commits.commit_sha as commit_sha,
        cast(
            arrayConcat(
                if(
                    (select revert_pattern from rules) != ''
                    and match(commits.message_subject, concat('^(?:', (select revert_pattern from rules), ')'))
                    and arrayCount(
                        depth -> match(
                            commits.message_subject,
                            concat('^(?:', (select revert_pattern from rules), '){', toString(depth), '}')
                        ),
                        range(1, 9)
                    ) % 2 = 1,
                    [tuple('revert', '', commits.commit_sha)],
                    []
                ),
                if(
                    (select hotfix_pattern from rules) != ''
                    and match(commits.message_subject, (select hotfix_pattern from rules)),
                    [tuple('hotfix', '', commits.commit_sha)],
                    []
                ),
                arrayMap(
                    reference -> tuple(
                        'reference', if(startsWith(reference, '#'), commits.repo_id, ''), reference
                    ),
                    if(
                        (select bug_pattern from rules) != '',
                        arrayDistinct(arrayConcat(
                            extractAll(commits.message_subject, '\\b[A-Z][A-Z0-9_]+-[0-9]+\\b'),
                            extractAll(commits.message_subject, '#[0-9]+\\b')
                        )),
                        []
                    )
                )
            ),
            'Array(Tuple(candidate_type String, reference_repo_id String, reference String))'
        ) as candidates
    from commits

),

-- only commits with a candidate are kept: a recomputed commit that names nothing now is deleted and not appended
final as (

    select
        org_id,
        repo_id,
        commit_sha,
        candidates,
        {{ built_at() }}
    from commit_candidates
    where notEmpty(candidates)

)

select * from final
