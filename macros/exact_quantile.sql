{#- The exact `level` quantile of `expression` (the mean of the two middle values for an even-count
    median), NULL over no rows: the figure reported must neither sample nor read 0 or nan for "no data". -#}
{% macro exact_quantile(level, expression) -%}
    quantileExactInclusiveOrNull({{ level }})({{ expression }})
{%- endmacro %}
