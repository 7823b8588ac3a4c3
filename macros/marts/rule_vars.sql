{#- The vars that change what a model computes, as one string: cell_salt hashes it into every keyed row's rule and
    every cell's fingerprint, so a build run with another value recomputes what the value changes, as a
    --full-refresh would. Without it a keyed table keeps rows computed under the old value for good: a commit
    dated 30 hours ahead, left out under future_tolerance_hours 24, was never recomputed under 48 (its key is
    chosen once its time comes within the tolerance of a build, which had passed). The vars of retention, the
    recompute log and the raw database name change no figure and are left out: a change of retention would
    recompute every cell of the history for nothing. -#}
{% macro rule_vars() -%}
    {%- set names = [
        'future_tolerance_hours', 'business_timezone', 'business_hours_start', 'business_hours_end',
        'large_commit_lines', 'large_pr_lines', 'production_environments', 'dora_report_year',
    ] -%}
    {%- set values = [] -%}
    {%- for name in names -%}
        {%- do values.append(name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {{ return(values | join('; ')) }}
{%- endmacro %}
