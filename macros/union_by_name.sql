{#- Union all of the models' rows by column name, not position. `parts` pairs the name each is
    selected from in the calling model (its import CTE) with the model's name: `[('github_runs',
    'stg_github__ci_runs'), ...]`. Every part selects the first's columns in the first's order, each by
    name, so a column added to one provider's staging model and not to another's fails the build
    naming both, instead of shifting every later column of the union one place (a positional union
    silently swaps two columns of the same type). Before execution (parsing, sqlfluff) no model's
    columns are known and each part reads `*`; nothing runs that SQL. -#}
{% macro union_by_name(parts) -%}
    {%- set expected = model_columns(parts[0][1]) if execute else ['*'] -%}
    {%- if execute -%}
        {%- for cte, model_name in parts -%}
            {%- set actual = model_columns(model_name) -%}
            {%- set missing = expected | reject('in', actual) | list -%}
            {%- set extra = actual | reject('in', expected) | list -%}
            {%- if missing or extra or not actual -%}
                {{ exceptions.raise_compiler_error(
                    'union_by_name: ' ~ model_name ~ ' does not have the columns of ' ~ parts[0][1]
                    ~ ' (missing: ' ~ (missing | join(', ') or 'none')
                    ~ '; extra: ' ~ (extra | join(', ') or 'none') ~ ')'
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for cte, model_name in parts %}
        {%- if not loop.first %}
    union all
        {%- endif %}
    select {{ expected | join(', ') }} from {{ cte }}
    {%- endfor -%}
{%- endmacro %}
