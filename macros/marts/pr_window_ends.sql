{#- The four-week windows of pr_cycle_trailing_4_weeks that merge day `day` counts in, as an Array(Date) of their
    last weeks' Mondays: its own ISO week and the three after it. One rule for the mart and for what it
    recomputes (pr_window_keys_to_recompute). -#}
{% macro pr_window_ends(day) -%}
    arrayMap(week -> toMonday({{ day }}) + 7 * week, range(4))
{%- endmacro %}
