"""The embedded PostgreSQL: a real server from the pgserver wheel, started once and reused."""

import subprocess
import sys

import psycopg

from devhealth.postgres import libpq_uri


def test_embedded_server_answers_sql(devhealth_home) -> None:
    uri = libpq_uri()
    assert str(devhealth_home / "postgres") in uri
    with psycopg.connect(uri) as connection:
        version = connection.execute("show server_version").fetchone()[0]
        connection.execute("create table if not exists probe (id int)")
        connection.execute("insert into probe values (1)")
    assert int(version.split(".")[0]) >= 14


def test_second_process_reuses_the_running_server(devhealth_home) -> None:
    uri = libpq_uri()
    code = ("from devhealth.postgres import libpq_uri; import psycopg; "
            "c = psycopg.connect(libpq_uri()); print(c.execute('select count(*) from probe').fetchone()[0])")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(completed.stdout.strip()) >= 1
    assert libpq_uri() == uri
