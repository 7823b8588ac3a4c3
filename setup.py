"""Package layout: the repository keeps each layer at the top level, installed under one namespace.

`extract/`, `semantic_db/` and `cli/` install as `devhealth.extract`, `devhealth.semantic_db` and
`devhealth.cli`, so no generic top-level `cli` or `extract` package lands in site-packages. The dbt
adapter for chDB installs as `dbt.adapters.chdb` with its `dbt.include.chdb` macros.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {
    "devhealth": "devhealth",
    "devhealth.cli": "cli",
    "devhealth.extract": "extract",
    "devhealth.semantic_db": "semantic_db",
    "dbt.adapters.chdb": "adapters/dbt_chdb/dbt/adapters/chdb",
    "dbt.include.chdb": "adapters/dbt_chdb/dbt/include/chdb",
}


def _packages_under(package: str, folder: str) -> list[str]:
    root = Path(folder)
    # a layer whose folder another issue has not created yet installs nothing rather than failing
    if not root.is_dir():
        return []
    return [package] + [
        ".".join([package, *init.parent.relative_to(root).parts])
        for init in sorted(root.rglob("*/__init__.py"))
    ]


setup(
    package_dir={package: folder for package, folder in ROOTS.items() if Path(folder).is_dir()},
    packages=[name for package, folder in ROOTS.items() for name in _packages_under(package, folder)],
    package_data={
        "dbt.include.chdb": ["dbt_project.yml", "macros/*.sql"],
        "devhealth.extract": ["raw_contract.yml"],
        "devhealth.semantic_db": ["alembic.ini", "migrations/*.py", "migrations/*.mako", "migrations/versions/*.py"],
    },
)
