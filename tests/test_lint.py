"""The project's own rules: ruff on Python, sqlfluff on SQL, dbt-bouncer for dbt-project-evaluator's rules."""

import os
import subprocess
import sys
from pathlib import Path

from devhealth.status import declared_freshness_tables

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout


def test_sqlfluff_is_clean() -> None:
    result = run(str(BIN / "sqlfluff"), "lint", "models", "macros")
    assert result.returncode == 0, result.stdout


def test_dbt_bouncer_passes(tmp_path: Path) -> None:
    # dbt-bouncer reads the manifest from dbt_artifacts_dir (target/) named in its config: parse into it
    env = {**{k: v for k, v in os.environ.items() if k not in ("DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_WRITE_JSON")},
           "DEVHEALTH_HOME": str(tmp_path)}
    # a source table declares freshness for when it is loaded (var('freshness_sources')): list them all
    tables = declared_freshness_tables()
    assert len(tables) == 37
    parsed = run(str(BIN / "dbt"), "parse", "--quiet", "--vars", f"{{freshness_sources: [{', '.join(tables)}]}}",
                 env=env)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    result = run(str(BIN / "dbt-bouncer"), "--config-file", "dbt-bouncer.yml", env=env)
    assert result.returncode == 0, result.stdout[-4000:]
