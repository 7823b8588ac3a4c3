with

git_commits as (

    select * from {{ ref('stg_git__commits') }}

),

github_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

gitlab_repositories as (

    select * from {{ ref('stg_gitlab__repositories') }}

),

github_deployments as (

    select * from {{ ref('stg_github__deployments') }}

),

gitlab_deployments as (

    select * from {{ ref('stg_gitlab__deployments') }}

),

events_deployments as (

    select * from {{ ref('stg_events__deployments') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_unioned') }}

),

-- a hosting provider's own record names a repository best; git history and events come after it
candidates as (

    {{ union_columns(['org_id', 'repo_id', 'repo_name', 'provider', 'source_rank'], [
        ('github_repositories', {'source_rank': 1}),
        ('gitlab_repositories', {'source_rank': 1}),
        ('git_commits', {'provider': "'git'", 'source_rank': 2}),
        ('github_deployments', {'source_rank': 3}),
        ('gitlab_deployments', {'source_rank': 3}),
        ('pull_requests', {'source_rank': 3}),
        ('events_deployments', {'source_rank': 4}),
    ]) }}

),

final as (

    select
        org_id,
        repo_id,
        argMin(repo_name, source_rank) as best_repo_name,
        argMin(provider, source_rank) as best_provider
    from candidates
    where repo_id != '' and repo_name != ''
    group by org_id, repo_id

)

select
    org_id,
    repo_id,
    best_repo_name as repo_name,
    best_provider as provider
from final
