{{ config(**append_only_mart('(org_id, team_id, day)', 'day', renamed_columns={'commits': 'commits_count'})) }}

with

day_fingerprints as (

    select * from {{ ref('people_work_fingerprints_daily') }}

),

commits as (

    select * from {{ ref('int_commits_enriched') }}

),

memberships as (

    select * from {{ ref('int_team_memberships') }}

),

teams as (

    select * from {{ ref('int_teams_summarised') }}

),

calendars as (

    select * from {{ ref('int_org_calendars') }}

),

-- a team's commits are its members' non-merge commits, in any repository, on the author's own clock and
-- against the organization's business hours and working days
team_commits as (

    select
        memberships.org_id as org_id,
        memberships.team_id as team_id,
        teams.team_name as team_name,
        commits.commit_sha as commit_sha,
        commits.authored_at as authored_at,
        {{ local_wall_clock('commits.authored_at', 'commits.author_tz_offset_minutes',
                            calendar_value('calendars', 'timezone')) }} as local_authored_at,
        {{ is_outside_business_hours('local_authored_at', calendar_value('calendars', 'business_start_minute'),
                                     calendar_value('calendars', 'business_end_minute'),
                                     calendar_value('calendars', 'working_days')) }} as is_after_hours,
        {{ is_non_working_day('local_authored_at', calendar_value('calendars', 'working_days')) }}
            as is_non_working_day
    from commits
    inner join memberships
        on
            commits.org_id = memberships.org_id
            and commits.author_person_id = memberships.person_id
    left join teams
        on
            memberships.org_id = teams.org_id
            and memberships.team_id = teams.team_id
    left join calendars on commits.org_id = calendars.org_id
    -- bots' commits are not people's work: the organization's bot patterns leave them out
    where not commits.is_merge and not coalesce(commits.author_is_bot, false)

),

-- what places a member's commit in a team's day besides the commit: the org's memberships, its teams' names and
-- its calendar (the project's defaults where it has none, as team_commits reads them), hashed per org
team_settings as (

    select
        memberships.org_id as org_id,
        sum(cityHash64(memberships.team_id, memberships.person_id, coalesce(teams.team_name, ''))) as team_hash,
        any(cityHash64(toString(tuple(
            {{ calendar_value('calendars', 'timezone') }},
            {{ calendar_value('calendars', 'business_start_minute') }},
            {{ calendar_value('calendars', 'business_end_minute') }},
            {{ calendar_value('calendars', 'working_days') }}
        )))) as calendar_hash
    from memberships
    left join teams
        on
            memberships.org_id = teams.org_id
            and memberships.team_id = teams.team_id
    left join calendars on memberships.org_id = calendars.org_id
    group by memberships.org_id

),

-- a day's cell is recomputed when the day's fingerprint of people's work (people_work_fingerprints_daily: each
-- commit with its author, time and offset) or the org's team settings changed: a membership change or a team's
-- new name recomputes every day of the org, a late commit its day. The history is not hashed here again on every
-- build (2M commits: 0.47 s of a refresh on one thread); the days of an org with no team are no cells
cell_inputs as (

    select
        day_fingerprints.org_id as org_id,
        day_fingerprints.day as day,
        day_fingerprints.fingerprint + team_settings.team_hash + team_settings.calendar_hash as row_hash
    from day_fingerprints
    inner join team_settings on day_fingerprints.org_id = team_settings.org_id

),

changed_cells as (

    {{ changed_cells('cell_inputs') }}

),

final as (

    select
        org_id,
        team_id,
        {{ team_key('team_id') }} as team_key,
        {{ team_label('team_id', 'team_name') }} as team_label,
        toDate(authored_at, 'UTC') as day,
        toUInt64(count()) as commits_count,
        toUInt64(countIf(is_after_hours)) as after_hours_commits,
        toUInt64(countIf(is_non_working_day)) as weekend_commits,
        after_hours_commits / commits_count as after_hours_commit_ratio,
        weekend_commits / commits_count as weekend_commit_ratio
    from team_commits
    where {{ in_changed_cells("toDate(authored_at, 'UTC')") }}
    group by org_id, team_id, team_name, day

)

-- each changed cell's new rows; a cell with no rows left keeps one empty-cell marker, so the view
-- drops its older rows
-- noqa: disable=PRS
{{ cell_versions('final', 'day') }}
