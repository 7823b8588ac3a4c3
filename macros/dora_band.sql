{#- The DORA band (elite/high/medium/low, or a 2025 answer bucket) a figure earns: the best-ranked threshold
    row whose range [min_value, max_value) holds the figure named by the row's `measure`. `thresholds` is a
    sorted array of (band_rank, band, measure, min_value, max_value) from seed dora_band_thresholds;
    `measures` maps each measure name to its SQL expression. NULL when a figure is NULL. -#}
{% macro dora_band(thresholds, measures) -%}
    {%- set measured -%}
        multiIf(
        {%- for measure, expression in measures.items() %}
            threshold.3 = '{{ measure }}', toFloat64({{ expression }}),
        {%- endfor %}
            nan
        )
    {%- endset -%}
    if(
        {% for expression in measures.values() %}isNull({{ expression }}){{ ' or ' if not loop.last }}{% endfor %},
        null,
        nullif(arrayFirst(
            threshold -> ifNull(
                (isNull(threshold.4) or {{ measured }} >= threshold.4)
                and (isNull(threshold.5) or {{ measured }} < threshold.5),
                0
            ),
            {{ thresholds }}
        ).2, '')
    )
{%- endmacro %}
