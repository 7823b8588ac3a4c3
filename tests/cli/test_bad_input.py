"""Through the `devhealth` command: a malformed POSTGRES_URI, a non-ASCII DEVHEALTH_SECRET_KEY or an email
with a control character ends in one line naming the input, exit code 1, no traceback, no password."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]
PASSWORD = "Pg-pa55word-never-shown"


def devhealth(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


@pytest.mark.parametrize(("uri", "reason"), [
    (f"postgresql://u:{PASSWORD}@[::1:5432/db", "malformed URI (Invalid IPv6 URL)"),
    (f"postgresql://u:{PASSWORD}@db.internal:port/db", "Port could not be cast to integer value as 'port'"),
])
def test_a_malformed_postgres_uri(cli_env: dict[str, str], uri: str, reason: str) -> None:
    line = one_line_error(devhealth("admin", "list-users", env={**cli_env, "POSTGRES_URI": uri}))
    assert line.startswith("error: POSTGRES_URI=postgresql://u:***@") and reason in line
    assert PASSWORD not in line


def test_an_embedded_data_directory_that_will_not_start(cli_env: dict[str, str]) -> None:
    # a data directory another tool left half made: pgserver takes it as initialised and pg_ctl fails
    data_dir = Path(cli_env["DEVHEALTH_HOME"]) / "postgres"
    data_dir.mkdir(parents=True)
    (data_dir / "PG_VERSION").write_text("16\n")
    line = one_line_error(devhealth("admin", "list-users", env=cli_env))
    assert line.startswith(f"error: cannot start the embedded PostgreSQL in {data_dir.resolve()}: pg_ctl exited")
    assert "postgresql.conf" in line  # the server log's last line says why


def test_a_non_ascii_secret_key_and_an_email_with_a_newline(cli_env: dict[str, str], semantic_database: str) -> None:
    env = {**cli_env, "POSTGRES_URI": semantic_database, "DEVHEALTH_SECRET_KEY": "clé-secrète-à-moi"}
    line = one_line_error(devhealth("admin", "set-credential", "--org", "Acme", "--provider", "github",
                                    "--secret-stdin", env=env, stdin="ghp_token"))
    assert line == ("error: DEVHEALTH_SECRET_KEY: key 1 holds characters a Fernet key never has "
                    "(it is 44 url-safe base64 characters)")
    line = one_line_error(devhealth("admin", "create-user", "--email", "ann@example.com\nBcc: eve@example.com",
                                    "--password-stdin", env=env, stdin="violet kettle on a bicycle"))
    assert line == r"error: email 'ann@example.com\nBcc: eve@example.com' contains a control or invisible character"


@pytest.mark.parametrize(("option", "message"), [
    (["--key-cache-seconds", "-1"], "error: --key-cache-seconds -1.0: must be between 0 and 300"),
    (["--key-cache-seconds", "3600"], "error: --key-cache-seconds 3600.0: must be between 0 and 300"),
])
def test_api_refuses_a_key_cache_out_of_bounds(cli_env: dict[str, str], option: list[str], message: str) -> None:
    assert one_line_error(devhealth("api", *option, env=cli_env)) == message
