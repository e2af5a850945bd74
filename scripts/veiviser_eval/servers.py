"""Start the action server and Rasa for an evaluation or a test run, unless they already run."""
from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
RASA_URL = "http://127.0.0.1:5005"
ACTIONS_URL = "http://127.0.0.1:5055"


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


@contextmanager
def assistant(model: Path = ROOT / "models" / "veiviser.tar.gz", log_dir: Path = ROOT / "var") -> Iterator[None]:
    """Yield with Rasa (:5005) and the action server (:5055) running; stop what we started."""
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SANIC_HOST": "127.0.0.1", "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    started: list[subprocess.Popen] = []
    venv = ROOT / ".venv" / "bin"
    try:
        if not is_up(f"{ACTIONS_URL}/health"):
            actions = subprocess.Popen([str(venv / "python"), "-m", "rasa_sdk", "--actions", "actions.actions", "--port", "5055"],
                                       cwd=ROOT, env=env, stdout=open(log_dir / "actions.log", "w"), stderr=subprocess.STDOUT)
            started.append(actions)
            wait_until_up(f"{ACTIONS_URL}/health", 60, actions)
        if not is_up(f"{RASA_URL}/"):
            rasa = subprocess.Popen([str(venv / "rasa"), "run", "--model", str(model), "--endpoints", "bot/endpoints.yml",
                                     "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1", "--port", "5005"],
                                    cwd=ROOT, env=env, stdout=open(log_dir / "rasa.log", "w"), stderr=subprocess.STDOUT)
            started.append(rasa)
            wait_until_up(f"{RASA_URL}/", 240, rasa)
        yield
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
