{#- True for an environment named in var('production_environments'), in any case. -#}
{% macro is_production_environment(environment) -%}
    lower(trim({{ environment }})) in (
    {%- for name in var('production_environments') %}'{{ name | lower }}'{{ ", " if not loop.last }}{% endfor -%}
    )
{%- endmacro %}
