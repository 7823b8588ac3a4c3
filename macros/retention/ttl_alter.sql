{#- The ALTER that sets the TTL `ttl` on `database`.`table`, or removes its TTL when `ttl` is ''. With
    var('raw_ttl_materialize') false it only records the TTL, and merges (background, or OPTIMIZE ... FINAL)
    apply it: no rewrite of every part of a large table at once. -#}
{% macro ttl_alter(database, table, ttl) -%}
    {%- set action = 'modify ttl ' ~ ttl if ttl else 'remove ttl' -%}
    {%- set settings = '' if var('raw_ttl_materialize') else ' settings materialize_ttl_after_modify = 0' -%}
    {%- set on_cluster = on_cluster_unless_replicated(database) -%}
    {{ return('alter table ' ~ database ~ '.' ~ table ~ on_cluster ~ ' ' ~ action ~ settings) }}
{%- endmacro %}
