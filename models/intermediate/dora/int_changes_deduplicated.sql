with

events_changes as (

    select * from {{ ref('stg_events__changes') }}

),

pr_commits as (

    select * from {{ ref('int_pr_commits_unioned') }}

),

commits as (

    select * from {{ ref('int_commits_unioned') }}

),

repos as (

    select * from {{ ref('int_repos_named') }}

),

-- events name a change's repository by name; the repository's id comes from the repositories seen
events_changes_with_repo as (

    select
        events_changes.org_id as org_id,
        repos.repo_id as repo_id,
        events_changes.commit_sha as commit_sha,
        events_changes.created_at as created_at,
        events_changes.author_email as author_email
    from events_changes
    inner join repos
        on
            events_changes.org_id = repos.org_id
            and lower(events_changes.repo_name) = lower(repos.repo_name)

),

-- an explicit change event knows best when the change was made, then git history, then the PR's commits
candidates as (

    {{ union_columns([
        'org_id', 'repo_id', 'commit_sha', 'created_at', 'author_email', 'change_source', 'source_rank'
    ], [
        ('events_changes_with_repo', {'change_source': "'events'", 'source_rank': 1}),
        ('commits', {'created_at': 'authored_at', 'change_source': "'git'", 'source_rank': 2}),
        ('pr_commits', {'created_at': 'authored_at', 'change_source': 'provider', 'source_rank': 3}),
    ]) }}

),

final as (

    select
        org_id,
        repo_id,
        commit_sha,
        assumeNotNull(argMin(created_at, source_rank)) as change_created_at,
        argMin(author_email, source_rank) as change_author_email,
        argMin(change_source, source_rank) as change_source_name
    from candidates
    where created_at is not null and commit_sha != '' and {{ is_plausible_time('created_at') }}
    group by org_id, repo_id, commit_sha

)

select
    org_id,
    repo_id,
    commit_sha,
    change_created_at as created_at,
    change_author_email as author_email,
    change_source_name as change_source
from final
