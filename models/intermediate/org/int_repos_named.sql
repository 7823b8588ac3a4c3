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

    select
        org_id,
        repo_id,
        repo_name,
        provider,
        1 as source_rank
    from github_repositories
    union all
    select
        org_id,
        repo_id,
        repo_name,
        provider,
        1 as source_rank
    from gitlab_repositories
    union all
    select
        org_id,
        repo_id,
        repo_name,
        'git' as provider,
        2 as source_rank
    from git_commits
    union all
    select
        org_id,
        repo_id,
        repo_name,
        provider,
        3 as source_rank
    from github_deployments
    union all
    select
        org_id,
        repo_id,
        repo_name,
        provider,
        3 as source_rank
    from gitlab_deployments
    union all
    select
        org_id,
        repo_id,
        repo_name,
        provider,
        3 as source_rank
    from pull_requests
    union all
    select
        org_id,
        repo_id,
        repo_name,
        provider,
        4 as source_rank
    from events_deployments

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
