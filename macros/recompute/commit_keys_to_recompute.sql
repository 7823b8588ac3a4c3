{#- What int_commits_enriched recomputes (recompute_keys): the commits staged, or whose files were staged, since
    its last build; those whose author time has come within the plausible range since (is_plausible_time: a
    commit dated ahead counts once its time is no longer ahead); those gone (commits_gone); and those whose
    author's person, primary email or bot flag changed in int_identities_resolved (an identity merge or a
    mapping touches every commit of the people concerned: the emails are read before the hook's delete), read
    only when an identity changed since (identities_unchanged_since). -#}
{% macro commit_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {%- set changed -%}
        {#- staging's tables, not the unions: a union view decides clone against API over every commit on each
            read (0.9 s at a million commits, where a pass over one staging table's `_staged_at` takes 20 ms); an
            API commit of a cloned repository chosen here is recomputed to nothing -#}
        {{ commits_staged_between(since, until) }}
        union all
        {{ commit_keys_where('_staged_at > ' ~ since ~ ' and _staged_at <= ' ~ until,
            ['stg_git__commit_files', 'stg_github__commit_files']) }}
        union all
        {{ commit_keys_where('authored_at > ' ~ since ~ ' + toIntervalHour(' ~ var('future_tolerance_hours') ~ ')') }}
    {%- endset -%}
    {%- set reidentified -%}
        select
            stored.org_id,
            stored.author_email
        from (
            select distinct org_id, author_email, author_person_id, author_primary_email, author_is_bot
            from {{ this }}
        ) as stored
        {# an email no longer among the identities left with its last commit: its rows are gone (commits_gone)
            or kept as computed once their raw rows expired, as this table keeps them #}
        inner join (
            select org_id, identity as email, person_id, primary_email, is_bot
            from {{ ref('int_identities_resolved') }}
            where identity_type = 'email'
        ) as resolved
            on stored.org_id = resolved.org_id and stored.author_email = resolved.email
        where toString(tuple(stored.author_person_id, stored.author_primary_email, stored.author_is_bot))
            != toString(tuple(resolved.person_id, resolved.primary_email, resolved.is_bot))
    {%- endset -%}
    {%- set emails = [] -%}
    {#- only when some identity changed since this table's last build -#}
    {%- if execute and is_incremental() and not recomputes_everything() and not identities_unchanged_since(since) -%}
        {%- for row in run_query(reidentified).rows -%}
            {%- do emails.append('(' ~ sql_string_literal(row[0]) ~ ', ' ~ sql_string_literal(row[1]) ~ ')') -%}
        {%- endfor -%}
    {%- endif -%}
    {#- each read on its own (recompute_keys) -#}
    {%- set reidentified_rows = ['(org_id, author_email) in (' ~ emails | join(', ') ~ ')'] if emails else [] -%}
    {%- set stale = [commits_gone()] + reidentified_rows -%}
    {{ return({'changed': changed, 'stale': stale, 'built_at': until}) }}
{%- endmacro %}
