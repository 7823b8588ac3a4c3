"""Package layout: the application is one package under src/, whose folders match its imports.

`src/devhealth/` installs as `devhealth` with its layers as subpackages (`devhealth.extract`,
`devhealth.semantic_db`, `devhealth.cli`, ...); tests/test_layers.py says which layer may import which.
The dbt adapter for chDB installs as `dbt.adapters.chdb` with its `dbt.include.chdb` macros.
"""

from setuptools import find_packages, setup

setup(
    package_dir={
        "": "src",
        "dbt.adapters.chdb": "adapters/dbt_chdb/dbt/adapters/chdb",
        "dbt.include.chdb": "adapters/dbt_chdb/dbt/include/chdb",
    },
    packages=[*find_packages("src"), "dbt.adapters.chdb", "dbt.include.chdb"],
    package_data={
        "dbt.include.chdb": ["dbt_project.yml", "macros/*.sql"],
        "devhealth.extract": ["raw_contract.yml"],
        "devhealth.semantic_db": ["alembic.ini", "migrations/*.py", "migrations/*.mako", "migrations/versions/*.py"],
    },
)
