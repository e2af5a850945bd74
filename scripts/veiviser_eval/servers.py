"""Start the action server and Rasa for an evaluation or a test run, unless they already run."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from veiviser_nlu.server import warm_up

ROOT = Path(__file__).resolve().parents[2]
RASA_URL = "http://127.0.0.1:5005"


def free_port() -> int:
    """A loopback port nothing listens on now (tests start their own servers there)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return response.status == 200
    except OSError:
        return False


def wait_until_up(url: str, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if is_up(url):
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with code {process.returncode}")
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up within {seconds:.0f} s")


def stop(*processes: subprocess.Popen, seconds: float = 20) -> None:
    """Stop servers we started: SIGTERM to all at once, then wait for each, SIGKILL after
    ``seconds``. The one way every script and test stops its processes."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=seconds)


def launch(module_args: list[str], health_url: str, log: Path, env: dict[str, str] | None = None,
           seconds: float = 60) -> subprocess.Popen:
    """``python -m …`` from the repository, its output appended to ``log``; returns once
    ``health_url`` answers (or raises, with the process stopped)."""
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "-m", *module_args], cwd=ROOT,
                               env=env or os.environ.copy(), stdout=open(log, "a"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(health_url, seconds, process)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    return process


def start_actions(port: int, log_dir: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """The action server (actions.server) on ``port``."""
    return launch(["actions.server", "--port", str(port)], f"http://127.0.0.1:{port}/health",
                  log_dir / f"actions-{port}.log", env)


@contextmanager
def assistant(model: Path = ROOT / "models" / "veiviser.tar.gz", log_dir: Path = ROOT / "var",
              rasa_port: int = 5005, actions_port: int | None = 5055, action_url: str | None = None,
              started: list[subprocess.Popen] | None = None, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield Rasa's URL with Rasa and the action server running; stop only what we started.

    ``actions_port=None`` starts no action server; ``action_url`` points Rasa elsewhere (tests use
    it to show what the user sees when the action server is down). ``extra_env`` is added to both
    servers' environment (a database, a Redis lock store).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    actions_url = f"http://127.0.0.1:{actions_port}" if actions_port else None
    # Rasa and the action server share a secret (actions.server); one per run unless one is set.
    token = os.environ.get("VEIVISER_ACTION_TOKEN") or secrets.token_urlsafe(32)
    env = {**os.environ, "SANIC_HOST": "127.0.0.1", "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
           "VEIVISER_ACTION_TOKEN": token,
           "VEIVISER_ACTION_URL": action_url or f"{actions_url or 'http://127.0.0.1:5055'}/webhook", **(extra_env or {})}
    started = [] if started is None else started  # the fault tests freeze and kill these
    try:
        if actions_url and not is_up(f"{actions_url}/health"):
            started.append(start_actions(actions_port, log_dir, env))
        if not is_up(f"{rasa_url}/"):
            started.append(launch(["veiviser_nlu.server", "run", "--model", str(model), "--endpoints", "bot/endpoints.yml",
                                   "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port)],
                                  f"{rasa_url}/", log_dir / f"rasa-{rasa_port}.log", env, seconds=240))
            warm_up(rasa_url)  # the launcher does it too; here the tests wait until it is done
        yield rasa_url
    finally:
        stop(*reversed(started))
