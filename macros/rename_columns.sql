{#- Pre-hook of the append-only marts, before add_new_columns: renames in place each column the model's
    `meta.renamed_columns` ({old: new}) names, on a table that still has the old name and not the new one, so the
    rows computed before keep their values under the new name (add_new_columns would add the new name empty and
    leave the old one behind). -#}
{% macro rename_columns() -%}
    {%- set renamed = (model.config.meta or {}).get('renamed_columns', {}) if execute else {} -%}
    {%- if renamed and is_incremental() -%}
        {%- set existing_names = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- for old_name, new_name in renamed.items() -%}
            {%- if old_name in existing_names and new_name not in existing_names -%}
                {%- set alter_action = 'rename column ' ~ adapter.quote(old_name) ~ ' to ' ~ adapter.quote(new_name) -%}
                {%- do alter_model_table(alter_action) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
