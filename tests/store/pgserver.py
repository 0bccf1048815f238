"""A real, throwaway PostgreSQL server on 127.0.0.1 for the test session.

Debian's PostgreSQL binaries live in /usr/lib/postgresql/<version>/bin (not on
PATH). The server refuses to run as root, so as root every command runs through
`runuser -u postgres`, in a data directory that user owns; as any other user it
runs as that user. fsync is off: the tests check what the application commits,
not what the kernel does on power loss.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found in {where}: the store tests run "
    "against a real PostgreSQL. Install it: apt-get install -y postgresql "
    "(.ci/run does this in CI), or set HMI_PG_BIN to their directory."
)


def find_pg_bin() -> Path:
    """The bin directory of the newest installed PostgreSQL (or $HMI_PG_BIN)."""
    pattern = os.environ.get("HMI_PG_BIN", "/usr/lib/postgresql/*/bin")
    found = sorted(
        (Path(p).parent for p in glob.glob(f"{pattern}/initdb")),
        key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0,
    )
    if not found:
        raise RuntimeError(INSTALL_HINT.format(where=pattern))
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """initdb + pg_ctl start on a free loopback port; `stop()` removes everything."""

    def __init__(self, bin_dir: Path | None = None):
        self.bin = bin_dir or find_pg_bin()
        self.datadir = Path(tempfile.mkdtemp(prefix="hmi-pg-"))  # /tmp: postgres can reach it
        self.port = 0
        self._as_root = os.geteuid() == 0
        if self._as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.datadir, pw.pw_uid, pw.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)

    def start(self) -> PgServer:
        pgdata = str(self.datadir / "data")
        done = self._run("initdb", "-D", pgdata, "-A", "trust", "-U", "postgres", "-N")
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = _free_port()
            done = self._pg_ctl_start()
            if done.returncode == 0:
                return self
        server_log = (self.datadir / "server.log").read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start:\n{done.stdout}\n{done.stderr}\n{server_log}")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server (bounded) and delete its data directory."""
        self.halt(mode)
        shutil.rmtree(self.datadir, ignore_errors=True)

    def halt(self, mode: str = "fast") -> None:
        """Stop the server but keep its data (to test an outage); `resume()` restarts it."""
        if (self.datadir / "data" / "postmaster.pid").exists():
            self._run(
                "pg_ctl",
                "-D",
                str(self.datadir / "data"),
                "-m",
                mode,
                "-w",
                "-t",
                "20",
                "stop",
                timeout=30,
            )

    def _pg_ctl_start(self) -> subprocess.CompletedProcess[str]:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.datadir} "
            "-c fsync=off -c full_page_writes=off"
        )
        data, log = str(self.datadir / "data"), str(self.datadir / "server.log")
        return self._run("pg_ctl", "-D", data, "-l", log, "-w", "-t", "30", "-o", options, "start")

    def resume(self) -> None:
        done = self._pg_ctl_start()
        if done.returncode:
            raise RuntimeError(f"PostgreSQL did not restart:\n{done.stdout}\n{done.stderr}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        """A fresh, empty database; returns its name."""
        name = f"hmi_test_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
