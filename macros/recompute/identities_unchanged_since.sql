{#- True when no identity in int_identities_resolved changed person, primary email or bot flag, or appeared,
    after `since` (a build_clock literal: the calling keyed model's last build), by its resolution_changed_at.
    A keyed model storing people then skips comparing its stored people with identity resolution: that
    comparison reads the people columns of every stored row (2M commits: 0.33 s). An identity that disappears
    changes no stamp, and the comparison leaves its rows alone: they leave with the commits, pull requests or
    reviews that named them (commits_gone), or stay as computed once their raw rows expired, as the keyed
    tables keep them. The stamps and `since` both come from the server's clock (one replica: see
    record_grain_checks). False when the table has no such column yet (built by an earlier version): the
    comparison runs. -#}
{% macro identities_unchanged_since(since) -%}
    {%- set identities = ref('int_identities_resolved') -%}
    {#- the adapter's columns cache: the three keyed models asking in one build read system.columns once -#}
    {%- if 'resolution_changed_at' not in adapter.get_columns_in_relation(identities) | map(attribute='name') | list -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(run_query(
        'select count() = 0 from ' ~ identities ~ ' where resolution_changed_at > ' ~ since
    ).rows[0][0]) }}
{%- endmacro %}
