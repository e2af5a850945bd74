"""The widget in a real browser: runs widget.test.mjs (playwright-core driving Debian's Chromium,
axe-core for WCAG 2.1 A/AA) against the real assistant behind the web app. Screenshots of the
widget at phone size go to test-results/."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from veiviser_eval.servers import ROOT, stop

pytestmark = pytest.mark.model
HERE = Path(__file__).resolve().parent
WEB_PORT = 8765


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run installs it)")


@pytest.fixture(scope="module")
def web(rasa, tmp_path_factory):
    if not (HERE / "node_modules" / "playwright-core").is_dir():
        pytest.fail("browser test dependencies missing: `npm ci --prefix tests/browser` (make test does it)")
    env = {**os.environ, "VEIVISER_RASA_URLS": rasa, "VEIVISER_WEB_PORT": str(WEB_PORT), "VEIVISER_WEB_HOST": "127.0.0.1"}
    log = open(tmp_path_factory.mktemp("web") / "web.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "web"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{WEB_PORT}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "health", timeout=2)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        stop(process)


def account(name: str, password: str, role: str) -> tuple[str, str]:
    """A staff account for the browser (made once per test database)."""
    from knowledge.db import default_engine, new_session
    from knowledge.staff.accounts import AccountError, create_user

    with new_session(default_engine()) as session:
        try:
            create_user(session, name, password, role)
            session.commit()
        except AccountError:
            pass
    return name, password


@pytest.fixture(scope="module")
def staff_admin() -> tuple[str, str]:
    """An admin account for the staff pages' accessibility checks."""
    return account("browser.admin", "browser-test-password-1", "admin")


def test_widget_in_chromium(web, staff_admin):
    screenshots = ROOT / "test-results"
    result = subprocess.run(["node", "--test", "--test-concurrency=1", str(HERE / "widget.test.mjs")], cwd=HERE,
                            env={**os.environ, "VEIVISER_URL": web, "CHROMIUM": chromium(), "SCREENSHOTS": str(screenshots),
                                 "STAFF_USER": staff_admin[0], "STAFF_PASSWORD": staff_admin[1]},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    for language in ("nb", "ar"):
        assert (screenshots / f"widget-{language}-phone.png").stat().st_size > 5000


@pytest.fixture(scope="module")
def case_worker() -> tuple[str, str]:
    """A case worker for the Chat and Callbacks pages."""
    return account("browser.case", "browser-case-password-1", "case_worker")


def test_a_person_in_chromium(web, staff_admin, case_worker, tmp_path_factory):
    """Issue 16 with two pages: live chat in English and Arabic, a Tigrinya call-back outside
    opening hours that reaches the coordinating unit's inbox and the staff queue."""
    from datetime import date

    from knowledge.config import load_settings
    from knowledge.phone_hours import public_holidays

    screenshots = ROOT / "test-results"
    (screenshots / "callback-reference.txt").unlink(missing_ok=True)
    open_today = date.today() not in public_holidays(date.today().year)
    result = subprocess.run(["node", "--test", "--test-concurrency=1", str(HERE / "handoff.test.mjs")], cwd=HERE,
                            env={**os.environ, "VEIVISER_URL": web, "CHROMIUM": chromium(), "SCREENSHOTS": str(screenshots),
                                 "STAFF_USER": staff_admin[0], "STAFF_PASSWORD": staff_admin[1],
                                 "CASE_WORKER": case_worker[0], "CASE_WORKER_PASSWORD": case_worker[1],
                                 "OFFICE_CAN_OPEN_TODAY": "1" if open_today else "0"},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    reference = (screenshots / "callback-reference.txt").read_text().strip()
    inbox = load_settings().ke_inbox_dir / reference
    for _ in range(50):  # the web app's outbox round delivers it within seconds
        if (inbox / f"{reference}.json").exists():
            break
        time.sleep(0.2)
    document = json.loads((inbox / f"{reference}.json").read_text(encoding="utf-8"))
    assert document["interpreter_language"] == "ti" and document["schema"] == "veiviser-callback/1"
    # Nothing of the chats or the call-back in any log: the web app's, Rasa's or the action server's.
    written = ("Kari from the office", "relief care for our son", "كاري", "ለተብርሃን", "40000000", "400 00 000", "ጓልና")
    logs = list(tmp_path_factory.getbasetemp().rglob("*.log"))
    assert len(logs) >= 3
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert not [words for words in written if words in text], log.name
