{#- A keyed intermediate's rule as a hash (`_rule_hash`): its own SQL and the vars that change what it computes
    (cell_salt), and the rows of each seed its config names in `rule_seeds`, so that editing the model, one of
    those vars or one of those seeds recomputes every row (recomputes_everything), as a plain model would. A
    seed's rows are summed by hash, so the order `dbt seed` loads them in changes nothing; each row is hashed as
    text, as cityHash64 of a row holding a NULL is NULL.
    The model refs each of those seeds in its SQL too: dbt learns a model's dependencies from its SQL, not from
    a macro its hooks call. -#}
{% macro rule_hash() -%}
    {%- set seeds = [] -%}
    {#- sqlfluff's templater, which renders the models to lint them, has no config.get -#}
    {%- for seed in (config.get('rule_seeds', []) if config.get is defined else []) -%}
        {%- do seeds.append('(select sum(cityHash64(toString(tuple(*)))) from ' ~ ref(seed) ~ ')') -%}
    {%- endfor -%}
    {{ cell_salt(seeds | join(', ')) }}
{%- endmacro %}
