"""The read-only BI role and user (`dbt run-operation create_bi_role`): its SQL, parsed by ClickHouse's own
parser on chDB (chDB has no user management to run it on), the secret kept out of every output, and the
refusals on a target without users or without a password digest.

The prod_cluster dry run runs in its own process and home (another target reparses the project); the
refusals run in-process on the session's embedded target.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).parent / "dbt")
CLUSTER = "devhealth_ci"
PASSWORD = "Tr0ub4dor&3-bi"
DIGEST = hashlib.sha256(PASSWORD.encode()).hexdigest()
PREFIX = "create_bi_role | "


def operation(tmp: Path, name: str, target: str, args: str | None, digest: str | None) -> subprocess.Popen[str]:
    home = tmp / name
    env = {**os.environ, "DEVHEALTH_HOME": str(home), "DEVHEALTH_BI_USER": "grafana_reader",
           "DEVHEALTH_CLICKHOUSE_CLUSTER": CLUSTER, "DEVHEALTH_BI_PASSWORD": PASSWORD}
    env.pop("DEVHEALTH_BI_PASSWORD_SHA256", None)
    if digest is not None:
        env["DEVHEALTH_BI_PASSWORD_SHA256"] = digest
    command = [DBT, "run-operation", "create_bi_role", "--target", target, "--target-path", str(home / "target"),
               "--log-path", str(home / "logs")]
    if args:
        command += ["--args", args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory) -> tuple[int, str, str]:
    """(exit code, output, dbt's log files) of the prod_cluster dry run."""
    tmp = tmp_path_factory.mktemp("bi-role")
    process = operation(tmp, "dry_run_cluster", "prod_cluster", "{dry_run: true}", DIGEST)
    output, _ = process.communicate(timeout=300)
    log = "".join(path.read_text() for path in (tmp / "dry_run_cluster" / "logs").glob("*.log"))
    return process.returncode, output, log


def refusal(monkeypatch, capfd, digest: str | None) -> str:
    """Output of `create_bi_role` (no dry run) in-process on the session's embedded target; it must fail."""
    from devhealth import dbt

    monkeypatch.setenv("DEVHEALTH_BI_PASSWORD", PASSWORD)
    if digest is None:
        monkeypatch.delenv("DEVHEALTH_BI_PASSWORD_SHA256", raising=False)
    else:
        monkeypatch.setenv("DEVHEALTH_BI_PASSWORD_SHA256", digest)
    result = dbt.invoke(["run-operation", "create_bi_role"])
    captured = capfd.readouterr()
    assert not result.success
    output = captured.out + captured.err + str(result.exception or "")
    assert PASSWORD not in output and DIGEST not in output
    assert not statements(output)
    return output


def statements(output: str) -> list[str]:
    return [line.split(PREFIX, 1)[1] for line in output.splitlines() if PREFIX in line]


def test_dry_run_prints_a_select_only_role_on_the_marts(dry_run) -> None:
    code, output, _ = dry_run
    assert code == 0, output
    on = f" on cluster `{CLUSTER}`"
    assert statements(output) == [
        f"create settings profile if not exists `devhealth_bi_readonly`{on} settings readonly = 2",
        f"create role if not exists `devhealth_bi_reader`{on}",
        f"revoke{on} all on *.* from `devhealth_bi_reader`",
        f"grant{on} select on `marts`.* to `devhealth_bi_reader`",
        f"create user if not exists `grafana_reader`{on} identified with sha256_hash by '*****'",
        f"alter user `grafana_reader`{on} identified with sha256_hash by '*****' default role `devhealth_bi_reader` "
        "settings profile `devhealth_bi_readonly`",
        f"grant{on} `devhealth_bi_reader` to `grafana_reader`",
    ]


def test_the_statements_parse_as_clickhouse_sql(dry_run, warehouse) -> None:
    rendered = statements(dry_run[1])
    assert rendered
    for statement in rendered:
        # formatQuery runs ClickHouse's parser: a statement it cannot parse raises
        canonical = warehouse.scalar("select formatQuery({sql:String})".replace(
            "{sql:String}", "'" + statement.replace("\\", "\\\\").replace("'", "\\'") + "'"))
        assert canonical.lower().replace("`", "").split()[0] in ("create", "revoke", "grant", "alter")
    grants = [s for s in rendered if s.startswith("grant") and " select " in s]
    assert len(grants) == 1 and "`marts`.*" in grants[0]


def test_the_password_and_its_digest_appear_nowhere(dry_run) -> None:
    _, output, log = dry_run
    assert log
    for secret in (PASSWORD, DIGEST):
        assert secret not in output and secret not in log


def test_it_refuses_to_create_a_user_without_a_password_digest(monkeypatch, capfd) -> None:
    output = refusal(monkeypatch, capfd, None)
    assert "DEVHEALTH_BI_PASSWORD_SHA256 must be the 64-character SHA-256 hex digest" in output
    # a plain password where the digest belongs is refused too, and not echoed
    assert "must be the 64-character" in refusal(monkeypatch, capfd, PASSWORD)


def test_it_refuses_a_target_without_user_management(monkeypatch, capfd) -> None:
    output = refusal(monkeypatch, capfd, DIGEST)
    assert "create_bi_role: target local (chdb) has no user management" in output
