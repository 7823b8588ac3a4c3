{{ config(
    order_by='(org_id, team_id, day)',
    partition_by='toYYYYMM(day)',
    projections=[latest_computations_projection('day')]
) }}

with

commits as (

    select * from {{ ref('int_commits_enriched') }}

),

memberships as (

    select * from {{ ref('int_team_memberships') }}

),

-- a team's commits are its members' non-merge commits, in any repository
team_commits as (

    select
        memberships.org_id as org_id,
        memberships.team_id as team_id,
        commits.commit_sha as commit_sha,
        commits.authored_at as authored_at
    from commits
    inner join memberships
        on
            commits.org_id = memberships.org_id
            and commits.author_person_id = memberships.person_id
    where not commits.is_merge and {{ in_lookback("toDate(commits.authored_at, 'UTC')", 'commits.org_id') }}

),

final as (

    select
        org_id,
        team_id,
        toDate(authored_at, 'UTC') as day,
        toUInt64(count()) as commits,
        toUInt64(countIf({{ is_outside_business_hours('authored_at') }})) as after_hours_commits,
        toUInt64(countIf({{ is_weekend('authored_at') }})) as weekend_commits,
        after_hours_commits / commits as after_hours_commit_ratio,
        weekend_commits / commits as weekend_commit_ratio
    from team_commits
    group by org_id, team_id, day

)

select
    org_id,
    team_id,
    day,
    commits,
    after_hours_commits,
    weekend_commits,
    after_hours_commit_ratio,
    weekend_commit_ratio,
    now64(6, 'UTC') as computed_at
from final
