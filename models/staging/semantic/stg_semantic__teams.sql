{%- set renamed -%}
        -- ids
        coalesce(toString(org_id), '') as org_id,
        coalesce(toString(team_id), '') as team_id,

        -- attributes
        toString(team_name) as team_name,
        JSONExtract(coalesce(repo_patterns, '[]'), 'Array(String)') as repo_patterns,
        JSONExtract(coalesce(work_scopes, '[]'), 'Array(String)') as work_scopes
{%- endset -%}
{{ semantic_staging_model('teams', ['org_id', 'team_id'], ['team_name', 'repo_patterns', 'work_scopes'], renamed) }}
