{%- set renamed -%}
        -- ids
        coalesce(toString(org_id), '') as org_id,

        -- attributes
        toString(org_name) as org_name,

        -- timestamps
        created_at
{%- endset -%}
{{ semantic_staging_model('organizations', ['org_id'], ['org_name', 'created_at'], renamed) }}
