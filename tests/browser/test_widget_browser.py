"""The widget in a real browser: runs widget.test.mjs (playwright-core driving Debian's Chromium,
axe-core for WCAG 2.1 A/AA) against the real assistant behind the web app. Screenshots of the
widget at phone size go to test-results/."""
from __future__ import annotations

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


@pytest.fixture(scope="module")
def staff_admin() -> tuple[str, str]:
    """An admin account for the staff pages' accessibility checks."""
    from knowledge.db import default_engine, new_session
    from knowledge.staff.accounts import AccountError, create_user

    name, password = "browser.admin", "browser-test-password-1"
    with new_session(default_engine()) as session:
        try:
            create_user(session, name, password, "admin")
            session.commit()
        except AccountError:
            pass
    return name, password


def test_widget_in_chromium(web, staff_admin):
    screenshots = ROOT / "test-results"
    result = subprocess.run(["node", "--test", "--test-concurrency=1", str(HERE / "widget.test.mjs")], cwd=HERE,
                            env={**os.environ, "VEIVISER_URL": web, "CHROMIUM": chromium(), "SCREENSHOTS": str(screenshots),
                                 "STAFF_USER": staff_admin[0], "STAFF_PASSWORD": staff_admin[1]},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    for language in ("nb", "ar"):
        assert (screenshots / f"widget-{language}-phone.png").stat().st_size > 5000
