"""The tests' PostgreSQL: where the server comes from, the script that starts one, fresh databases."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from pg_server import (
    ENV_URL,
    SCRIPT,
    PrivateServer,
    admin_connect,
    database_url,
    decide,
    find_pg_bin,
    fresh_database,
)

NO_BINARIES = None
BIN = "/usr/lib/postgresql/15/bin"


def test_a_given_url_is_used_as_it_is() -> None:
    url = "postgresql://ci@127.0.0.1:5999/postgres"
    assert decide({ENV_URL: url, "CI": "true"}, NO_BINARIES).how == "url"
    assert decide({ENV_URL: url}, BIN).detail == url


def test_under_ci_a_missing_server_fails_rather_than_skips() -> None:
    decision = decide({"CI": "true"}, NO_BINARIES)
    assert decision.how == "fail"
    assert ENV_URL in decision.detail and "CI" in decision.detail


def test_outside_ci_a_missing_server_skips_saying_how_to_start_one() -> None:
    decision = decide({}, NO_BINARIES)
    assert decision.how == "skip"
    assert "apt-get install postgresql" in decision.detail
    assert ".ci/postgres start" in decision.detail
    assert ENV_URL in decision.detail


def test_installed_binaries_start_a_private_server_even_under_ci() -> None:
    assert decide({"CI": "true"}, BIN) == decide({}, BIN)
    assert decide({}, BIN).how == "start" and decide({}, BIN).detail == BIN


def test_the_binaries_directory_can_be_given() -> None:
    assert find_pg_bin({"ORDERDESK_PG_BIN": "/opt/pg/bin"}) == "/opt/pg/bin"


def test_a_database_url_keeps_login_host_port_and_options() -> None:
    url = "postgresql://od@db.example:6543/postgres?sslmode=require"
    assert database_url(url, "od_x") == "postgresql://od@db.example:6543/od_x?sslmode=require"


def test_a_fresh_database_is_empty_and_dropped_afterwards(pg_server_url: str) -> None:
    with fresh_database(pg_server_url) as url:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
            assert tables == (0,)
            conn.execute("CREATE TABLE left_behind (x int)")
            conn.commit()
        open_connection = psycopg.connect(url)  # still open when the database goes
    with admin_connect(pg_server_url) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
    assert found == []
    with pytest.raises(psycopg.OperationalError):
        open_connection.execute("SELECT 1")
    open_connection.close()


def test_the_script_runs_the_server_as_its_own_user_on_loopback_and_a_private_socket() -> None:
    pg_bin = find_pg_bin(os.environ)
    if pg_bin is None:
        decision = decide({k: v for k, v in os.environ.items() if k != ENV_URL}, None)
        (pytest.fail if decision.how == "fail" else pytest.skip)(decision.detail)
    server = PrivateServer.start(pg_bin)
    where = Path(server.env["ORDERDESK_PG_DIR"])
    try:
        with psycopg.connect(server.url) as conn:
            settings = dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN "
                    "('listen_addresses', 'unix_socket_directories', 'data_directory', 'port')"
                ).fetchall()
            )
            superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            assert superuser.fetchone() == (True,)
        assert settings["listen_addresses"] == "127.0.0.1"
        assert settings["unix_socket_directories"] == str(where / "sock")
        assert settings["port"] == server.env["ORDERDESK_PG_PORT"]
        data = Path(settings["data_directory"])
        assert data == where / "data"
        assert data.stat().st_uid != 0  # the server refuses root; it runs as its own user
        assert (where.stat().st_mode & 0o077) == 0  # private directory
        env_line = subprocess.run(
            ["bash", str(SCRIPT), "env"], env=server.env, capture_output=True, text=True
        )
        assert env_line.stdout.strip() == f"export {ENV_URL}={server.url}"
    finally:
        server.stop()
    assert not where.exists()
    stopped = subprocess.run(
        ["bash", str(SCRIPT), "env"], env=server.env, capture_output=True, text=True
    )
    assert stopped.returncode == 1 and ".ci/postgres start" in stopped.stderr


def test_a_failed_start_leaves_nothing_behind() -> None:
    """initdb missing from the given directory: the start fails and removes its directory."""
    where = Path(tempfile.gettempdir()) / f"orderdesk-test-pg-failed-{os.getpid()}"
    with pytest.raises(RuntimeError, match="start failed"):
        PrivateServer.start(str(where / "no-such-bin"), where)
    assert not where.exists()
