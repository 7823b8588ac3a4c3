{#- What int_commit_rework_candidates recomputes (recompute_keys): the commits staged since its last build and
    those gone (commits_gone). A commit's candidates read its subject alone, and the rules: a seed edit
    recomputes every commit (rule_seeds). Its last build is the latest that wrote a row: a build whose commits
    name nothing leaves the next one reading its commits again, a superset. -#}
{% macro commit_candidate_keys_to_recompute() -%}
    {%- set since, until = last_built_at(), build_clock() -%}
    {{ return({'changed': commits_staged_between(since, until), 'stale': commits_gone(), 'built_at': until}) }}
{%- endmacro %}
