with

identities as (

    select * from {{ ref('stg_semantic__identities') }}

),

calendars as (

    select * from {{ ref('int_org_calendars') }}

),

git_commits as (

    select * from {{ ref('int_commits_unioned') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_unioned') }}

),

pr_reviews as (

    select * from {{ ref('int_pr_reviews_unioned') }}

),

work_items as (

    select * from {{ ref('int_work_items_unioned') }}

),

-- every email the semantic layer ties to a person: an identity that is an email, or a primary email
mapped_emails as (

    select
        org_id,
        email,
        min(person_id) as mapped_person_id
    from (
        select
            org_id,
            identity as email,
            person_id
        from identities
        where position(identity, '@') > 0
        union all
        select
            org_id,
            primary_email as email,
            person_id
        from identities
        where primary_email != ''
    ) as mapped_identities
    where person_id != ''
    group by org_id, email

),

people as (

    select
        org_id,
        person_id,
        any(primary_email) as person_primary_email,
        any(display_name) as person_display_name
    from identities
    where person_id != ''
    group by org_id, person_id

),

-- each email's commits grouped by the name they give first: the latest (time, name) per email below then reads
-- a few rows per person, not every commit (2M commits: 0.21 s against 0.11 s), and the result is the same
observed_emails as (

    select
        org_id,
        author_email as email,
        author_name as seen_name,
        max(authored_at) as seen_at
    from git_commits
    group by org_id, email, seen_name
    union all
    select
        org_id,
        author_email as email,
        null as seen_name,
        null as seen_at
    from pull_requests
    union all
    select
        org_id,
        reviewer_email as email,
        null as seen_name,
        null as seen_at
    from pr_reviews
    union all
    select
        org_id,
        assignee_email as email,
        null as seen_name,
        null as seen_at
    from work_items
    union all
    select
        org_id,
        email,
        null as seen_name,
        null as seen_at
    from mapped_emails

),

-- an unmapped email is shown under the name git saw on its latest commit: people change how git names them
-- (a first name, later a full one), and any one of the names would differ from build to build
emails as (

    -- computed once (rows_computed_once): resolved_emails reads this CTE twice (its own rows, and the logins'
    -- emails), and as a CTE every commit would be read and grouped twice
    {% set seen_emails -%}
        select
            org_id,
            email,
            argMaxIf(seen_name, (seen_at, seen_name), seen_name is not null) as latest_seen_name
        from observed_emails
        where email != ''
        group by org_id, email
    {%- endset %}
    {{ rows_computed_once(seen_emails, ['org_id', 'email', 'latest_seen_name']) }}

),

resolved_emails as (

    select
        emails.org_id as org_id,
        'email' as identity_type,
        '' as provider,
        emails.email as identity,
        mapped_emails.mapped_person_id is not null as is_mapped,
        coalesce(mapped_emails.mapped_person_id, emails.email) as resolved_person_id,
        coalesce(nullif(people.person_primary_email, ''), emails.email) as resolved_primary_email,
        coalesce(people.person_display_name, emails.latest_seen_name, emails.email) as resolved_display_name
    from emails
    left join mapped_emails using (org_id, email)
    left join people
        on
            mapped_emails.org_id = people.org_id
            and mapped_emails.mapped_person_id = people.person_id

),

observed_logins as (

    select
        org_id,
        provider,
        lower(author_login) as login,
        author_email as email
    from pull_requests
    union all
    select
        org_id,
        provider,
        lower(reviewer_login) as login,
        reviewer_email as email
    from pr_reviews

),

logins as (

    select
        org_id,
        provider,
        login,
        anyIf(email, email != '') as any_email
    from observed_logins
    where login != ''
    group by org_id, provider, login

),

-- a login resolves through the semantic layer's mapping, else through the email seen with it
resolved_logins as (

    select
        logins.org_id as org_id,
        'login' as identity_type,
        logins.provider as provider,
        logins.login as identity,
        identities.person_id is not null or coalesce(resolved_emails.is_mapped, false) as login_is_mapped,
        coalesce(
            nullif(identities.person_id, ''),
            nullif(resolved_emails.resolved_person_id, ''),
            concat(logins.provider, ':', logins.login)
        ) as login_person_id,
        coalesce(nullif(identities.primary_email, ''), nullif(resolved_emails.resolved_primary_email, ''), '')
            as login_primary_email,
        coalesce(identities.display_name, nullif(resolved_emails.resolved_display_name, ''), logins.login)
            as login_display_name
    from logins
    left join identities
        on
            logins.org_id = identities.org_id
            and logins.provider = identities.provider
            and logins.login = identities.identity
    left join resolved_emails
        on
            logins.org_id = resolved_emails.org_id
            and logins.any_email = resolved_emails.identity

),

unioned as (

    select * from resolved_emails
    union all
    select * from resolved_logins

),

-- an identity is a bot's when its email or login, or its display name, matches one of the org's bot patterns
flagged as (

    select
        unioned.org_id as org_id,
        unioned.identity_type as identity_type,
        unioned.provider as provider,
        unioned.identity as identity,
        unioned.is_mapped as is_mapped,
        unioned.resolved_person_id as resolved_person_id,
        unioned.resolved_primary_email as resolved_primary_email,
        unioned.resolved_display_name as resolved_display_name,
        arrayExists(
            pattern -> match(unioned.identity, pattern) or match(coalesce(unioned.resolved_display_name, ''), pattern),
            {{ calendar_value('calendars', 'bot_patterns') }}
        ) as identity_is_bot
    from unioned
    left join calendars on unioned.org_id = calendars.org_id

),

resolved as (

    select
        org_id,
        identity_type,
        provider,
        identity,
        assumeNotNull(is_mapped) as is_mapped,
        assumeNotNull(resolved_person_id) as person_id,
        assumeNotNull(resolved_primary_email) as primary_email,
        resolved_display_name as display_name,
        -- a person is a bot when any of their identities is
        max(identity_is_bot) over (partition by org_id, assumeNotNull(resolved_person_id)) as is_bot
    from flagged

),

-- when each identity's person, primary email or bot flag last changed: the table as the previous build left it
-- (still in place while this one is computed) keeps its time, a change or a new identity takes this build's.
-- The keyed models that store people check their rows against identity resolution only when some identity
-- changed since their last build (identities_unchanged_since)
previous_resolution as (

    {{ previous_identity_resolution() }}

),

final as (

    select
        resolved.org_id as org_id,
        resolved.identity_type as identity_type,
        resolved.provider as provider,
        resolved.identity as identity,
        resolved.is_mapped as is_mapped,
        resolved.person_id as person_id,
        resolved.primary_email as primary_email,
        resolved.display_name as display_name,
        resolved.is_bot as is_bot,
        -- unmatched identities (new ones) read found = 0 (join_use_nulls = 0)
        if(
            previous_resolution.found = 1
            and previous_resolution.person_id = resolved.person_id
            and previous_resolution.primary_email = resolved.primary_email
            and previous_resolution.is_bot = resolved.is_bot,
            previous_resolution.resolution_changed_at,
            now64(6, 'UTC')
        ) as resolution_changed_at
    from resolved
    left join previous_resolution using (org_id, identity_type, provider, identity)

)

select * from final
