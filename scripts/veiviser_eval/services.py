"""Throw-away PostgreSQL and Redis servers for the tests, on free loopback ports.

``running_postgres(base_dir)`` makes a fresh cluster (``initdb``) with the role and database
``veiviser`` (its owner) and starts it; ``running_redis(base_dir)`` starts a Redis without
persistence. Both listen on 127.0.0.1 only, stop when the ``with`` block ends and leave nothing
behind. ``start()`` and ``stop()`` restart the same server on the same port (PostgreSQL keeps its
data; Redis, having no persistence, starts empty).

PostgreSQL refuses to run as root: when the tests run as root, ``initdb`` and ``pg_ctl`` run as the
``postgres`` system user (``runuser``), and the cluster lives in a folder that user owns. The
binaries come from Debian's ``postgresql`` and ``redis-server`` packages (``scripts/ensure_services.sh``
installs them when they are missing); no system-wide service is used.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from veiviser_eval.servers import free_port, stop

PG_ROOT = Path("/usr/lib/postgresql")
PG_SYSTEM_USER = "postgres"
PG_SUPERUSER = "postgres"  # the cluster's own superuser (trust auth on loopback)
DATABASE = "veiviser"
ROLE = "veiviser"
INSTALL_HINT = "run scripts/ensure_services.sh (apt-get install postgresql redis-server as root)"
#: Settings for a test server: loopback only, no durability, quick checkpoints, quiet.
PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "logging_collector": "off",
    "log_min_messages": "warning",
}
PORT_ATTEMPTS = 3  # a free port may be taken between free_port() and the server's bind: then another
SOCKET_PATH_LIMIT = 100  # unix socket paths are limited to 107 bytes; ".s.PGSQL.NNNNN" included


class ServiceUnavailable(RuntimeError):
    """A server's binaries are missing, or it did not start."""


#: Run beside each server: if the process that started it dies without stopping it (killed by a
#: timeout, say), this stops the server and removes its folder. Its own session, so that a signal
#: to the test run's process group does not end it first (pg_ctl's server has a session of its own).
_WATCHDOG = """
import os, shutil, signal, subprocess, sys, time
parent, root, pidfile, command = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
signal.signal(signal.SIGINT, signal.SIG_IGN)
while os.getppid() == parent:
    time.sleep(1)
if command:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, cwd=root)
if pidfile:
    try:
        os.kill(int(open(pidfile).read().strip()), signal.SIGTERM)
        time.sleep(1)
    except (OSError, ValueError):
        pass
shutil.rmtree(root, ignore_errors=True)
"""


def _watchdog(root: Path, pidfile: Path | None = None, command: list[str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(root), str(pidfile or ""), *(command or [])],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _end_watchdog(watchdog: subprocess.Popen | None) -> None:
    if watchdog is not None and watchdog.poll() is None:
        watchdog.kill()
        watchdog.wait(timeout=10)


# ---------------------------------------------------------------------------------------- PostgreSQL

def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (0,)


def postgres_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with the server binaries, else the folder of
    ``initdb`` on ``PATH``; None when there is none."""
    needed = ("initdb", "pg_ctl", "postgres")
    if PG_ROOT.is_dir():
        for version in sorted((p for p in PG_ROOT.iterdir() if p.is_dir()), key=_version_key, reverse=True):
            if all(os.access(version / "bin" / name, os.X_OK) for name in needed):
                return version / "bin"
    initdb = shutil.which("initdb")
    if initdb:
        folder = Path(initdb).resolve().parent
        if all(os.access(folder / name, os.X_OK) for name in needed):
            return folder
    return None


def _system_user() -> pwd.struct_passwd | None:
    """The user the server runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        return None


def postgres_available() -> bool:
    """PostgreSQL's server binaries are here (and, as root, the ``postgres`` user and ``runuser``)."""
    if postgres_bin_dir() is None:
        return False
    if os.geteuid() == 0:
        return _system_user() is not None and shutil.which("runuser") is not None
    return True


def _reachable_by(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether ``user`` may pass through every folder down to ``path`` (the server must reach its data)."""
    for folder in [path, *path.parents]:
        info = folder.stat()
        if info.st_uid == user.pw_uid:
            allowed = info.st_mode & stat.S_IXUSR
        elif info.st_gid == user.pw_gid or info.st_gid in os.getgrouplist(user.pw_name, user.pw_gid):
            allowed = info.st_mode & stat.S_IXGRP
        else:
            allowed = info.st_mode & stat.S_IXOTH
        if not allowed:
            return False
    return True


def _port_taken(log: Path) -> bool:
    return "already in use" in _tail(log, 40) or "could not bind" in _tail(log, 40)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Postgres:
    """One throw-away PostgreSQL cluster under ``base_dir`` (see ``running_postgres``)."""

    def __init__(self, base_dir: Path, port: int | None = None) -> None:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise ServiceUnavailable(f"PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found in "
                                     f"{PG_ROOT}/*/bin or on PATH: {INSTALL_HINT}")
        self.bin_dir = bin_dir
        self.user = _system_user()
        if os.geteuid() == 0 and (self.user is None or shutil.which("runuser") is None):
            raise ServiceUnavailable(f"PostgreSQL will not run as root, and there is no '{PG_SYSTEM_USER}' user "
                                     f"(or no runuser) to run it as: {INSTALL_HINT}")
        base_dir = Path(base_dir).resolve()
        base_dir.mkdir(parents=True, exist_ok=True)
        # The server (as the postgres user, when we are root) must reach its folders; pytest's
        # tmp_path is private to root, so then the cluster goes to a folder of its own in /tmp.
        self.root = Path(tempfile.mkdtemp(prefix="pg-", dir=base_dir))
        if (self.user is not None and not _reachable_by(self.root, self.user)) or len(str(self.root)) > SOCKET_PATH_LIMIT - 30:
            shutil.rmtree(self.root)
            self.root = Path(tempfile.mkdtemp(prefix="veiviser-pg-"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "postgres.log"
        self.port = port or free_port()
        self.url = f"postgresql+psycopg2://{ROLE}@127.0.0.1:{self.port}/{DATABASE}"
        self.initialised = False
        self.watchdog: subprocess.Popen | None = None

    # -- commands, as the postgres user when we are root
    def _command(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user.pw_name, "--", *command]
        return command

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env.update({"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
        return subprocess.run(self._command(*args), cwd=self.root, env=env, capture_output=True, text=True, timeout=timeout)

    def _check(self, what: str, result: subprocess.CompletedProcess) -> None:
        if result.returncode != 0:
            raise ServiceUnavailable(f"PostgreSQL {what} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}\n"
                                     f"--- {self.log}:\n{_tail(self.log)}")

    def init(self) -> None:
        """``initdb`` a new cluster with loopback-only trust authentication and test settings."""
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self._check("initdb", self._run("initdb", "-D", str(self.data_dir), "--username", PG_SUPERUSER,
                                        "--auth", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8",
                                        "--no-sync", "--no-instructions"))
        self.socket_dir.mkdir()
        if self.user is not None:
            os.chown(self.socket_dir, self.user.pw_uid, self.user.pw_gid)
        settings = {**PG_SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.socket_dir}'"}
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# veiviser_eval.services: a throw-away server for the tests\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self.initialised = True
        self.watchdog = _watchdog(self.root, command=self._command("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate"))

    def _use_port(self, port: int) -> None:
        self.port = port
        self.url = f"postgresql+psycopg2://{ROLE}@127.0.0.1:{port}/{DATABASE}"
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"port = {port}\n")  # the last setting wins

    def _connect(self, database: str, user: str):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, dbname=database, user=user, connect_timeout=5)

    def _create_database(self) -> None:
        connection = self._connect("postgres", PG_SUPERUSER)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE ROLE "{ROLE}" LOGIN')
                cursor.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{ROLE}"')
        finally:
            connection.close()

    def start(self) -> None:
        """Start the cluster (initdb and the database first, the first time); return when it takes connections."""
        first = not self.initialised
        if first:
            self.init()
        elif self.is_running():
            return
        for attempt in range(PORT_ATTEMPTS):
            result = self._run("pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log), "-w", "-t", "60", "-s")
            if result.returncode == 0 or not (first and attempt + 1 < PORT_ATTEMPTS and _port_taken(self.log)):
                break
            self._use_port(free_port())  # another program took the free port first: the next one
        self._check("start", result)
        self._wait_until_ready()
        if first:
            self._create_database()

    def _wait_until_ready(self, seconds: float = 30) -> None:
        import psycopg2

        deadline = time.monotonic() + seconds
        while True:
            try:
                self._connect("postgres", PG_SUPERUSER).close()
                return
            except psycopg2.OperationalError as error:
                if time.monotonic() > deadline:
                    raise ServiceUnavailable(f"PostgreSQL on port {self.port} did not take connections: {error}\n"
                                             f"--- {self.log}:\n{_tail(self.log)}") from error
                time.sleep(0.05)

    def is_running(self) -> bool:
        return self.initialised and self._run("pg_ctl", "status", "-D", str(self.data_dir)).returncode == 0

    def stop(self) -> None:
        """Fast shutdown (open sessions are ended); return when the server has exited."""
        if not self.initialised:
            return
        result = self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "-s")
        if result.returncode != 0 and self.is_running():
            self._check("stop", result)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        _remove(self)


def _remove(server: Postgres | Redis) -> None:
    """Stop a throw-away server, end its watchdog and delete its folder, whatever fails first."""
    try:
        server.stop()
    finally:
        _end_watchdog(server.watchdog)
        shutil.rmtree(server.root, ignore_errors=True)


@contextmanager
def _running(server: Postgres | Redis) -> Iterator:
    try:
        server.start()
        yield server
    finally:
        server.remove()


def running_postgres(base_dir: Path) -> contextlib.AbstractContextManager[Postgres]:
    """A fresh PostgreSQL (role and database ``veiviser``) on a free loopback port; removed on exit."""
    return _running(Postgres(base_dir))


# ---------------------------------------------------------------------------------------- Redis

def redis_server_binary() -> str | None:
    return shutil.which("redis-server") or (str(Path("/usr/bin/redis-server")) if os.access("/usr/bin/redis-server", os.X_OK) else None)


def redis_available() -> bool:
    return redis_server_binary() is not None


def _redis_pid(port: int) -> int | None:
    """The process id of the Redis answering on ``port`` (None: none answers yet)."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
    try:
        return int(client.info("server")["process_id"])
    except (redis.RedisError, OSError, KeyError, ValueError):
        return None
    finally:
        client.close()


class Redis:
    """One throw-away Redis under ``base_dir``: loopback only, protected mode, no persistence."""

    def __init__(self, base_dir: Path, port: int | None = None) -> None:
        binary = redis_server_binary()
        if binary is None:
            raise ServiceUnavailable(f"redis-server was not found on PATH or in /usr/bin: {INSTALL_HINT}")
        self.binary = binary
        base_dir = Path(base_dir).resolve()
        base_dir.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="redis-", dir=base_dir))
        self.log = self.root / "redis.log"
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.started_once = False
        self.pidfile = self.root / "redis.pid"
        self.watchdog = _watchdog(self.root, pidfile=self.pidfile)

    def start(self, seconds: float = 20) -> None:
        """Start the server; return when it (this process, not another on the port) answers."""
        if self.process is not None and self.process.poll() is None:
            return
        first = not self.started_once
        for attempt in range(PORT_ATTEMPTS):
            try:
                self._start_once(seconds)
                self.started_once = True
                return
            except ServiceUnavailable:
                if not (first and attempt + 1 < PORT_ATTEMPTS and _port_taken(self.log)):
                    raise
            self.port = free_port()  # another program took the free port first: the next one
            self.url = f"redis://127.0.0.1:{self.port}/0"

    def _start_once(self, seconds: float) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes",
                   "--save", "", "--appendonly", "no", "--dir", str(self.root), "--daemonize", "no",
                   "--logfile", str(self.log), "--pidfile", str(self.pidfile)]
        self.process = subprocess.Popen(command, cwd=self.root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds
        while _redis_pid(self.port) != self.process.pid:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServiceUnavailable(f"redis-server on port {self.port} did not start\n--- {self.log}:\n{_tail(self.log)}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server (SIGTERM; it saves nothing) and wait until it has exited."""
        process, self.process = self.process, None
        if process is None:
            return
        stop(process, seconds=10)

    def remove(self) -> None:
        _remove(self)


def running_redis(base_dir: Path) -> contextlib.AbstractContextManager[Redis]:
    """A fresh Redis on a free loopback port; stopped and removed on exit."""
    return _running(Redis(base_dir))
