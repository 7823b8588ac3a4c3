{#- Generated from src/devhealth/extract/raw_contract.yml by `python -m devhealth.extract.raw_contract`:
    do not edit.
    Per raw entity its datasets (table `<dataset>___<entity>`) and its columns as dlt creates them on
    ClickHouse: (name, type, is key, the datasets it is limited to or none). Keys are not Nullable,
    every other column is, JSON is String. raw_contract_tables() expands it per table. `incremental` and
    `staged` (the columns staged other than by their type: staged_name, stage, default) are for
    staging_model. -#}
{% macro raw_contract() -%}
{{ return({
    'commits': {
        'datasets': ['git', 'github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('sha', "String", true, none),
            ('repo_name', "String", false, none),
            ('parent_shas', "String", false, none),
            ('is_merge', "Bool", false, none),
            ('author_name', "String", false, none),
            ('author_email', "String", false, none),
            ('authored_at', "DateTime64(6,'UTC')", false, none),
            ('author_tz_offset_minutes', "Int64", false, none),
            ('committer_name', "String", false, none),
            ('committer_email', "String", false, none),
            ('committed_at', "DateTime64(6,'UTC')", false, none),
            ('message_subject', "String", false, none),
            ('message_length', "Int64", false, none),
            ('is_removed', "Bool", false, ['git']),
            ('extracted_at', "DateTime64(6,'UTC')", false, ['git']),
            ('provider', "String", false, ['github', 'gitlab']),
            ('author_login', "String", false, ['github', 'gitlab']),
            ('lines_added', "Int64", false, ['github', 'gitlab']),
            ('lines_deleted', "Int64", false, ['github', 'gitlab'])
        ],
        'incremental': true,
        'staged': {
            'sha': {'staged_name': 'commit_sha'},
            'parent_shas': {'stage': 'json_array'},
            'author_email': {'stage': 'lower'},
            'committer_email': {'stage': 'lower'},
            'is_removed': {'stage': 'skip'},
            'extracted_at': {'stage': 'skip'}
        }
    },
    'commit_files': {
        'datasets': ['git', 'github'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('sha', "String", true, none),
            ('path', "String", true, none),
            ('old_path', "String", false, none),
            ('change_type', "String", false, none),
            ('lines_added', "Int64", false, none),
            ('lines_deleted', "Int64", false, none),
            ('is_binary', "Bool", false, none),
            ('extracted_at', "DateTime64(6,'UTC')", false, ['git'])
        ],
        'incremental': true,
        'staged': {
            'sha': {'staged_name': 'commit_sha'},
            'extracted_at': {'stage': 'skip'}
        }
    },
    'blame': {
        'datasets': ['git'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('path', "String", true, none),
            ('author_email', "String", true, none),
            ('lines', "Int64", false, none),
            ('repo_name', "String", false, none),
            ('head_sha', "String", false, none),
            ('extracted_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': false,
        'staged': {
            'author_email': {'stage': 'lower'},
            'repo_name': {'stage': 'skip'},
            'head_sha': {'stage': 'skip'},
            'extracted_at': {'stage': 'skip'}
        }
    },
    'repositories': {
        'datasets': ['github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('provider', "String", false, none),
            ('repo_name', "String", false, none),
            ('default_branch', "String", false, none),
            ('created_at', "DateTime64(6,'UTC')", false, none),
            ('updated_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': false,
        'staged': {}
    },
    'pull_requests': {
        'datasets': ['github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('pr_number', "Int64", true, none),
            ('provider', "String", false, none),
            ('pr_id', "String", false, none),
            ('repo_name', "String", false, none),
            ('title', "String", false, none),
            ('author_login', "String", false, none),
            ('author_email', "String", false, none),
            ('state', "String", false, none),
            ('created_at', "DateTime64(6,'UTC')", false, none),
            ('updated_at', "DateTime64(6,'UTC')", false, none),
            ('merged_at', "DateTime64(6,'UTC')", false, none),
            ('closed_at', "DateTime64(6,'UTC')", false, none),
            ('additions', "Int64", false, none),
            ('deletions', "Int64", false, none),
            ('changed_files', "Int64", false, none),
            ('base_branch', "String", false, none),
            ('head_sha', "String", false, none),
            ('merge_commit_sha', "String", false, none),
            ('requested_reviewers', "String", false, none)
        ],
        'incremental': true,
        'staged': {
            'author_email': {'stage': 'lower'},
            'state': {'stage': 'lower'},
            'requested_reviewers': {'staged_name': 'requested_reviewers_json', 'default': '[]'}
        }
    },
    'pr_reviews': {
        'datasets': ['github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('pr_number', "Int64", true, none),
            ('review_id', "String", true, none),
            ('provider', "String", false, none),
            ('reviewer_login', "String", false, none),
            ('reviewer_email', "String", false, none),
            ('state', "String", false, none),
            ('submitted_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': true,
        'staged': {
            'reviewer_email': {'stage': 'lower'},
            'state': {'stage': 'lower'}
        }
    },
    'pr_commits': {
        'datasets': ['github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('pr_number', "Int64", true, none),
            ('sha', "String", true, none),
            ('provider', "String", false, none),
            ('author_email', "String", false, none),
            ('authored_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': true,
        'staged': {
            'sha': {'staged_name': 'commit_sha'},
            'author_email': {'stage': 'lower'}
        }
    },
    'ci_runs': {
        'datasets': ['github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('run_id', "String", true, none),
            ('provider', "String", false, none),
            ('pipeline_name', "String", false, none),
            ('head_sha', "String", false, none),
            ('branch', "String", false, none),
            ('status', "String", false, none),
            ('conclusion', "String", false, none),
            ('started_at', "DateTime64(6,'UTC')", false, none),
            ('finished_at', "DateTime64(6,'UTC')", false, none),
            ('created_at', "DateTime64(6,'UTC')", false, ['github']),
            ('run_attempt', "Int64", false, ['github'])
        ],
        'incremental': true,
        'staged': {
            'conclusion': {'stage': 'lower'}
        }
    },
    'deployments': {
        'datasets': ['github', 'gitlab', 'events'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('deployment_id', "String", true, none),
            ('provider', "String", false, none),
            ('repo_name', "String", false, none),
            ('environment', "String", false, none),
            ('status', "String", false, none),
            ('sha', "String", false, none),
            ('shas', "String", false, none),
            ('started_at', "DateTime64(6,'UTC')", false, none),
            ('finished_at', "DateTime64(6,'UTC')", false, none),
            ('deployer_login', "String", false, none)
        ],
        'incremental': false,
        'staged': {
            'sha': {'staged_name': 'deployed_sha'},
            'shas': {'stage': 'json_array'}
        }
    },
    'releases': {
        'datasets': ['github', 'gitlab'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_id', "String", true, none),
            ('release_id', "String", true, none),
            ('provider', "String", false, none),
            ('tag_name', "String", false, none),
            ('published_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': false,
        'staged': {}
    },
    'incidents': {
        'datasets': ['github', 'gitlab', 'jira', 'events'],
        'columns': [
            ('org_id', "String", true, none),
            ('provider', "String", true, none),
            ('incident_id', "String", true, none),
            ('repo_name', "String", false, none),
            ('repo_id', "String", false, none),
            ('title', "String", false, none),
            ('severity', "String", false, none),
            ('opened_at', "DateTime64(6,'UTC')", false, none),
            ('resolved_at', "DateTime64(6,'UTC')", false, none),
            ('caused_by_deployment_id', "String", false, none),
            ('caused_by_sha', "String", false, none),
            ('labels', "String", false, none)
        ],
        'incremental': false,
        'staged': {
            'labels': {'stage': 'json_array'}
        }
    },
    'work_items': {
        'datasets': ['github', 'gitlab', 'jira'],
        'columns': [
            ('org_id', "String", true, none),
            ('provider', "String", true, none),
            ('work_item_id', "String", true, none),
            ('work_item_key', "String", false, none),
            ('project', "String", false, none),
            ('repo_id', "String", false, none),
            ('title', "String", false, none),
            ('work_item_type', "String", false, none),
            ('status', "String", false, none),
            ('status_category', "String", false, none),
            ('assignee_email', "String", false, none),
            ('story_points', "Float64", false, none),
            ('labels', "String", false, none),
            ('created_at', "DateTime64(6,'UTC')", false, none),
            ('updated_at', "DateTime64(6,'UTC')", false, none),
            ('resolved_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': false,
        'staged': {
            'work_item_type': {'stage': 'lower'},
            'status_category': {'stage': 'lower'},
            'assignee_email': {'stage': 'lower'},
            'labels': {'stage': 'json_array'}
        }
    },
    'work_item_transitions': {
        'datasets': ['github', 'gitlab', 'jira'],
        'columns': [
            ('org_id', "String", true, none),
            ('provider', "String", true, none),
            ('work_item_id', "String", true, none),
            ('transitioned_at', "DateTime64(6,'UTC')", true, none),
            ('to_status', "String", true, none),
            ('from_status', "String", false, none),
            ('from_category', "String", false, none),
            ('to_category', "String", false, none),
            ('author_email', "String", false, none)
        ],
        'incremental': false,
        'staged': {
            'from_category': {'stage': 'lower'},
            'to_category': {'stage': 'lower'},
            'author_email': {'stage': 'lower'}
        }
    },
    'changes': {
        'datasets': ['events'],
        'columns': [
            ('org_id', "String", true, none),
            ('repo_name', "String", true, none),
            ('sha', "String", true, none),
            ('created_at', "DateTime64(6,'UTC')", false, none),
            ('author_email', "String", false, none)
        ],
        'incremental': false,
        'staged': {
            'sha': {'staged_name': 'commit_sha'},
            'author_email': {'stage': 'lower'}
        }
    },
    'organizations': {
        'datasets': ['semantic'],
        'columns': [
            ('org_id', "String", true, none),
            ('org_name', "String", false, none),
            ('created_at', "DateTime64(6,'UTC')", false, none)
        ],
        'incremental': false,
        'staged': {}
    },
    'teams': {
        'datasets': ['semantic'],
        'columns': [
            ('org_id', "String", true, none),
            ('team_id', "String", true, none),
            ('team_name', "String", false, none),
            ('repo_patterns', "String", false, none),
            ('work_scopes', "String", false, none)
        ],
        'incremental': false,
        'staged': {
            'repo_patterns': {'stage': 'json_array'},
            'work_scopes': {'stage': 'json_array'}
        }
    },
    'team_members': {
        'datasets': ['semantic'],
        'columns': [
            ('org_id', "String", true, none),
            ('team_id', "String", true, none),
            ('person_id', "String", true, none)
        ],
        'incremental': false,
        'staged': {}
    },
    'identities': {
        'datasets': ['semantic'],
        'columns': [
            ('org_id', "String", true, none),
            ('provider', "String", true, none),
            ('identity', "String", true, none),
            ('person_id', "String", false, none),
            ('primary_email', "String", false, none),
            ('display_name', "String", false, none)
        ],
        'incremental': false,
        'staged': {
            'provider': {'default': ''},
            'identity': {'stage': 'lower'},
            'primary_email': {'stage': 'lower'}
        }
    },
    'org_settings': {
        'datasets': ['semantic'],
        'columns': [
            ('org_id', "String", true, none),
            ('timezone', "String", false, none),
            ('business_hours_start', "String", false, none),
            ('business_hours_end', "String", false, none),
            ('working_days', "String", false, none),
            ('bot_patterns', "String", false, none)
        ],
        'incremental': false,
        'staged': {}
    }
}) }}
{%- endmacro %}
