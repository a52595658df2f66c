"""PostgreSQL for the tests: a server for the session, a fresh empty database for each test.

The server is ``ORDERDESK_TEST_PG_URL`` when set (``.ci/run`` starts one with ``.ci/postgres``);
otherwise, when PostgreSQL's binaries are installed, a private throwaway cluster started by that
same script for this session; otherwise the tests that need it fail under CI and are skipped
elsewhere, saying how to start one.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV_URL = "ORDERDESK_TEST_PG_URL"
SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "postgres"
HOW_TO_START = (
    f"set {ENV_URL}=postgresql://USER@HOST:PORT/postgres (a role that may create databases and "
    "roles), or install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql) and the "
    'tests start a private server themselves; `eval "$(.ci/postgres start)"` starts one by hand'
)


@dataclass(frozen=True)
class Decision:
    """What the session does for a server: use a URL, start one, fail or skip (with why)."""

    how: Literal["url", "start", "fail", "skip"]
    detail: str  # the URL, the binaries' directory, or the message


def find_pg_bin(env: Mapping[str, str]) -> str | None:
    """The directory holding initdb and pg_ctl, found as ``.ci/postgres`` finds it."""
    if env.get("ORDERDESK_PG_BIN"):
        return env["ORDERDESK_PG_BIN"]
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()],
    )
    if versions:
        return str(Path(versions[-1]).parent)
    found = shutil.which("initdb")
    return str(Path(found).parent) if found else None


def decide(env: Mapping[str, str], pg_bin: str | None) -> Decision:
    """Where the session's server comes from; under CI a missing server fails, never skips."""
    if env.get(ENV_URL):
        return Decision("url", env[ENV_URL])
    if pg_bin is not None:
        return Decision("start", pg_bin)
    if env.get("CI"):
        return Decision(
            "fail",
            f"PostgreSQL is required when CI is set: {ENV_URL} is not set and no PostgreSQL "
            "binaries (initdb) were found (.ci/run installs and starts one)",
        )
    return Decision("skip", f"PostgreSQL is not available: {HOW_TO_START}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _script(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", str(SCRIPT), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f".ci/postgres {command} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@dataclass
class PrivateServer:
    """A throwaway cluster started by ``.ci/postgres`` in its own directory on a free port."""

    env: dict[str, str]
    url: str = ""

    @classmethod
    def start(cls, pg_bin: str, where: Path | None = None) -> PrivateServer:
        # Under the system's temporary directory, not pytest's: the server's own user (when we
        # are root) must be able to reach it.
        where = where or Path(tempfile.gettempdir()) / f"orderdesk-test-pg-{uuid.uuid4().hex[:12]}"
        env = dict(
            os.environ,
            ORDERDESK_PG_DIR=str(where),
            ORDERDESK_PG_PORT=str(free_port()),
            ORDERDESK_PG_BIN=pg_bin,
        )
        server = cls(env)
        try:
            line = _script("start", env).strip().splitlines()[-1]
        except RuntimeError:
            server.stop(quiet=True)  # what a half-done start left (its own directory only)
            raise
        server.url = line.split(f"{ENV_URL}=", 1)[1]
        return server

    def stop(self, quiet: bool = False) -> None:
        try:
            _script("stop", self.env)
        except RuntimeError:
            if not quiet:
                raise


def database_url(server_url: str, database: str) -> str:
    """The server's URL naming another database (user, host, port and options kept)."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + database))


def admin_connect(server_url: str):  # -> psycopg.Connection
    import psycopg

    return psycopg.connect(server_url, autocommit=True)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL server's URL, logged in as a role that may create databases and roles."""
    decision = decide(os.environ, find_pg_bin(os.environ))
    if decision.how == "fail":
        pytest.fail(decision.detail)
    if decision.how == "skip":
        pytest.skip(decision.detail)
    if decision.how == "url":
        yield decision.detail
        return
    try:
        server = PrivateServer.start(decision.detail)
    except RuntimeError as exc:
        pytest.fail(f"could not start a private PostgreSQL ({HOW_TO_START}): {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new empty database on the server (its URL), dropped on leaving."""
    name = f"od_test_{uuid.uuid4().hex[:16]}"
    with admin_connect(server_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(server_url, name)
    finally:
        with admin_connect(server_url) as conn:
            # FORCE: pooled connections a test left open must not keep the database alive.
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """The URL of a fresh, empty database on the test server, dropped after the test."""
    with fresh_database(pg_server_url) as url:
        yield url
