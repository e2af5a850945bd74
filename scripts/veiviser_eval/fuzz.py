"""`make fuzz`: hypothesis-made inputs against a running stack (Rasa, the action server and the
web app on free loopback ports), counting what came back.

    python -m veiviser_eval.fuzz --chat 10000 --eligibility 3000 --staff 1000 --live 1000 --seconds 1800

Inputs: chat bodies with any Unicode (lone surrogates, control characters, right-to-left marks,
4,000 characters and one more), wrong senders, metadata and content types, and raw bytes; the
eligibility API with any JSON (NaN, 10^400, nesting, unknown facts and dates); the staff login and
other staff forms with any fields, bodies and ids, signed out and (``--staff-forms``) signed in as an
admin with a valid CSRF token, against the fuzz run's own database; the family's live chat messages and "end" with
any sender and body. The report says how many inputs were tried,
how many answers were 5xx and how many took longer than the limit (a timeout). Exit code 1 when
either is not zero. Bounded by count and by time.
"""
from __future__ import annotations

import argparse
import json
import os
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veiviser_eval.servers import ROOT, assistant, free_port, launch, stop

#: An answer slower than this is a timeout (the web app answers within 5 s even when Rasa hangs).
TIMEOUT_SECONDS = 10.0
FACT_NAMES = ("age", "has_disability_or_long_term_illness", "weekly_assistance_hours", "number_of_services",
              "heavy_care_burden", "needs_long_term_coordinated_services")
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)  # every category, surrogates too
WORDS = st.sampled_from(["avlastning", "støttekontakt", "BPA", "stopp", "ja", "nei", "vet ikke", "hjelp", "ledsagerbevis",
                         "relief care", "apply", "الرعاية المؤقتة", "ሓገዝ", "/affirm", '/affirm{"step": "app_review"}', "/apply",
                         "/stop", "15031951264", "2018-03-14", "\u202e", "\u0000", "\ud83d", "😀", " ", ""])
MESSAGES = st.one_of(ANY_TEXT, WORDS, st.lists(WORDS, max_size=12).map(" ".join),
                     st.integers(3990, 4010).map(lambda n: ("avlastning " * 500)[:n]))
JSON_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3), max_leaves=8)


@dataclass
class Tally:
    """What came back from one target."""
    tried: int = 0
    statuses: Counter = field(default_factory=Counter)
    timeouts: int = 0
    server_errors: list[str] = field(default_factory=list)

    def add(self, status: int | None, sample: str) -> None:
        self.tried += 1
        if status is None:
            self.timeouts += 1
            self.server_errors.append(f"timeout: {sample[:120]!r}")
        else:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{status}: {sample[:120]!r}")


def send(url: str, body: bytes | None, content_type: str | None, method: str = "POST", cookies: str = "") -> int | None:
    headers = {"Content-Type": content_type} if content_type else {}
    if cookies:
        headers["Cookie"] = cookies
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - loopback only
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except (TimeoutError, OSError):
        return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


#: Its own opener: a redirect is an answer to count (303 after a staff form), not one to follow;
#: installing it globally would change every other urlopen in the process (the tests import this).
_OPENER = urllib.request.build_opener(NoRedirect)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode("utf-8", "surrogatepass")


def chat_bodies():
    valid = st.text(string.ascii_letters + string.digits + "-_", min_size=8, max_size=64)
    sender = st.one_of(valid, valid, valid, ANY_TEXT)  # mostly through to Rasa
    metadata = st.one_of(st.just({}), st.fixed_dictionaries({"language": st.sampled_from(["nb", "en", "ar", "ti", "xx", None])}),
                         st.fixed_dictionaries({"replied_in": st.sampled_from(["nb", "ar", "zz"])}), JSON_VALUES)
    good = st.builds(lambda s, m, md: (_json({"sender": s, "message": m, "metadata": md}), "application/json"),
                     sender, MESSAGES, metadata)
    odd = st.one_of(st.builds(lambda v: (_json(v), "application/json"), JSON_VALUES),
                    st.builds(lambda b, t: (b, t), st.binary(max_size=400),
                              st.sampled_from(["application/json", "text/plain", "application/json; charset=klingon", None])))
    return st.one_of(good, good, good, odd)


def eligibility_bodies():
    facts = st.dictionaries(st.one_of(st.sampled_from(FACT_NAMES), ANY_TEXT),
                            st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.none(),
                                      st.just(10 ** 400), ANY_TEXT), max_size=6)
    body = st.fixed_dictionaries({"facts": facts}, optional={
        "service": st.one_of(st.sampled_from(["bpa", "relief_care", "support_contact", "nope"]), ANY_TEXT),
        "language": st.sampled_from(["nb", "nn", "en", "ar", "ti", "fr", ""]),
        "date": st.one_of(st.dates().map(str), ANY_TEXT)})
    return st.one_of(st.builds(lambda b: (_json(b), "application/json"), body),
                     st.builds(lambda v: (_json(v), "application/json"), JSON_VALUES),
                     st.builds(lambda n: (b"[" * n + b"]" * n, "application/json"), st.integers(1, 100_000)),
                     st.builds(lambda b, t: (b, t), st.binary(max_size=300), st.sampled_from(["application/json", "text/plain"])))


def staff_requests():
    form = st.dictionaries(st.sampled_from(["username", "password", "csrf", "reason", "version", "service", "ids", "x"]),
                           ANY_TEXT, max_size=5)
    urlencoded = form.map(lambda f: urllib.parse.urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in f.items()}).encode())
    bodies = st.one_of(st.tuples(urlencoded, st.just("application/x-www-form-urlencoded")),
                       st.tuples(st.binary(max_size=400), st.sampled_from([
                           "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
                           "application/x-www-form-urlencoded; charset=klingon", "text/plain"])))
    paths = st.one_of(st.just("/staff/login"), st.just("/staff/logout"), st.just("/staff/unanswered/handle"),
                      st.integers(0, 10 ** 30).map(lambda n: f"/staff/users/{n}/deactivate"),
                      st.text(string.ascii_lowercase + "_.", min_size=1, max_size=30).map(lambda k: f"/staff/services/{k}/nb"),
                      st.text(string.ascii_lowercase + "_.", min_size=1, max_size=30).map(lambda k: f"/staff/parameters/{k}/restore"))
    return st.tuples(paths, bodies)


#: Every field name a staff form has (service texts, source questions, contact points, parameters,
#: service settings, users, unanswered questions, call-backs, live chat, restore), and filters.
STAFF_FIELDS = ("title", "summary", "description", "who_for", "how_to_apply", "cost", "decided_by", "after_applying", "appeal",
                "status", "reason", "version", "phone", "email", "digital_channel", "postal_address", "visiting_address",
                "by_appointment_only", *(f"hours_{day}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
                *(f"{field}_{language}" for field in ("name", "role", "status") for language in ("nb", "en", "ar", "ti")),
                "valid_from", "value", "key", "order", "contact", "apply", "decided_by_contact", "active", "source_document",
                "source_section", "source_law", "source_fields_0", "source_choice_summary", "source_document_summary",
                "source_section_summary", "username", "password", "role", "ids", "service", "back", "from", "text", "available",
                "sprak", "arsak", "fra", "til", "side")
STAFF_VALUES = st.one_of(ANY_TEXT, st.sampled_from([
    "source", "reviewed", "machine_drafted", "kept", "new", "1", "0", "-1", "99999999999", "2026-01-01", "2026-02-30", "09:00–11:00",
    "9 til 11", "hvk_0_18", "ke_application", "contact", "none", "editor", "admin", "case_worker", "relief_care", "nb", "ar", "xx",
    "brosjyre-hvk-2025", "1,2,3", "/staff/unanswered?side=2", "//evil.example", "taken", "done", "a" * 5000]))
FUZZ_ADMIN, FUZZ_PASSWORD = "fuzz.admin", "fuzz-admin-password-long-enough"


def signed_in_staff_requests():
    """What a signed-in admin's browser could send to every staff form and filter: any fields with
    any values on the real routes (and on made-up keys), always with the right CSRF token."""
    keys = st.one_of(st.sampled_from(["relief_care", "bpa", "hvk_0_18", "bpa.max_age", "nav_basic_benefit", "new"]),
                     st.text(string.ascii_lowercase + "_.", min_size=1, max_size=20))
    language = st.sampled_from(["nb", "en", "ar", "ti", "xx"])
    number = st.integers(0, 10 ** 12).map(str)
    posts = st.one_of(
        st.builds(lambda k, lang: f"/staff/services/{k}/{lang}", keys, language),
        st.builds(lambda k, lang: f"/staff/services/{k}/{lang}/restore", keys, language),
        *(keys.map(lambda k, base=base: f"{base}/{k}") for base in ("/staff/contacts", "/staff/parameters")),
        *(keys.map(lambda k, base=base: f"{base}/{k}/restore") for base in ("/staff/contacts", "/staff/parameters")),
        keys.map(lambda k: f"/staff/services/{k}/settings"), keys.map(lambda k: f"/staff/services/{k}/settings/restore"),
        st.sampled_from(["/staff/services/new", "/staff/users", "/staff/unanswered/handle", "/staff/chat/availability",
                         "/staff/chat/presence", "/staff/export/import"]),
        st.builds(lambda n, what: f"/staff/chat/{n}/{what}", number, st.sampled_from(["take", "messages", "end"])),
        st.builds(lambda n, to: f"/staff/callbacks/VV-2026-{n}/{to}", st.text("ABC123", min_size=6, max_size=6),
                  st.sampled_from(["taken", "done", "new"])))
    gets = st.one_of(st.sampled_from(["/staff/unanswered", "/staff/insight", "/staff/insight.csv", "/staff/callbacks",
                                      "/staff/applications", "/staff/chat", "/staff/chat/queue"]),
                     number.map(lambda n: f"/staff/chat/{n}"))
    fields = st.lists(st.tuples(st.sampled_from(STAFF_FIELDS), STAFF_VALUES), max_size=14)
    return st.one_of(st.tuples(st.just("POST"), posts, fields), st.tuples(st.just("GET"), gets, fields))


def staff_session(web: str) -> tuple[str, str]:
    """Sign in as the fuzzing admin: the session cookie and the pages' CSRF token."""
    with _OPENER.open(f"{web}/staff/login", timeout=TIMEOUT_SECONDS) as page:  # noqa: S310 - loopback only
        csrf_cookie = page.headers["Set-Cookie"].split(";")[0]
    body = urllib.parse.urlencode({"username": FUZZ_ADMIN, "password": FUZZ_PASSWORD, "csrf": csrf_cookie.split("=", 1)[1]}).encode()
    request = urllib.request.Request(f"{web}/staff/login", data=body, headers={"Cookie": csrf_cookie}, method="POST")
    try:
        _OPENER.open(request, timeout=TIMEOUT_SECONDS)  # noqa: S310 - loopback only
        raise RuntimeError(f"{FUZZ_ADMIN} was not redirected after signing in")
    except urllib.error.HTTPError as answer:  # the 303 to /staff, counted not followed
        cookies = [c.split(";")[0] for c in answer.headers.get_all("Set-Cookie") or [] if c.startswith("veiviser_staff=")]
        if answer.code != 303 or not cookies:
            raise RuntimeError(f"{FUZZ_ADMIN} could not sign in ({answer.code})") from None
    home = urllib.request.Request(f"{web}/staff", headers={"Cookie": cookies[0]})
    with _OPENER.open(home, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - loopback only
        page = answer.read().decode()
    return cookies[0], page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def live_requests():
    """The family's side of a live chat: any sender in the path (most invalid, some well-formed
    with no chat), messages and "end" with any body."""
    senders = st.one_of(st.just("familyNoChat123"), st.text(string.ascii_letters + string.digits, min_size=8, max_size=64),
                        ANY_TEXT.map(lambda t: urllib.parse.quote(t.encode("utf-8", "surrogatepass"), safe="")[:200] or "x"))
    return st.tuples(senders, st.sampled_from(["messages", "end"]), eligibility_bodies())


def run_target(name: str, count: int, strategy, request: Callable[..., tuple[int | None, str]], deadline: float) -> Tally:
    tally = Tally()

    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(example):
        if time.monotonic() > deadline:
            return
        status, sample = request(example)
        tally.add(status, sample)

    one()
    print(f"{name:12} tried {tally.tried:6}   5xx {sum(n for s, n in tally.statuses.items() if s >= 500):4}   "
          f"timeouts {tally.timeouts:3}   statuses {dict(sorted(tally.statuses.items()))}", flush=True)
    for line in tally.server_errors[:10]:
        print("    " + line)
    return tally


@contextmanager
def web_app(rasa_url: str, log_dir: Path):
    port = free_port()
    env = {**os.environ, "VEIVISER_RASA_URLS": rasa_url, "VEIVISER_WEB_PORT": str(port), "VEIVISER_WEB_HOST": "127.0.0.1",
           "VEIVISER_CHAT_LIMIT_PER_CLIENT": "1000000"}  # every fuzzed message comes from one address
    process = launch(["web"], f"http://127.0.0.1:{port}/health", log_dir / "web.log", env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def fuzz(web: str, chat: int, eligibility: int, staff: int, seconds: float, live: int = 0, signed_in: int = 0) -> list[Tally]:
    """``signed_in`` saves whatever validates: run it only against a database of its own, with the
    fuzzing admin (``FUZZ_ADMIN``) in it."""
    deadline = time.monotonic() + seconds
    session, token = staff_session(web) if signed_in else ("", "")

    def chat_request(example):
        body, content_type = example
        return send(f"{web}/api/chat", body, content_type), body.decode("utf-8", "replace")

    def eligibility_request(example):
        body, content_type = example
        path = "/api/eligibility" if len(body) % 2 else "/api/eligibility/overview"
        return send(f"{web}{path}", body, content_type), body[:200].decode("utf-8", "replace")

    def staff_request(example):
        path, (body, content_type) = example
        return send(f"{web}{path}", body, content_type), f"{path} {body[:100]!r}"

    def signed_in_request(example):
        method, path, fields = example
        query = urllib.parse.urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in fields])
        if method == "GET":
            return send(f"{web}{path}?{query}", None, None, "GET", session), f"GET {path}?{query[:100]}"
        body = urllib.parse.urlencode([("csrf", token)]) + (f"&{query}" if query else "")
        return send(f"{web}{path}", body.encode(), "application/x-www-form-urlencoded", "POST", session), f"{path} {query[:100]}"

    def live_request(example):
        sender, what, (body, content_type) = example
        return send(f"{web}/api/live/{sender}/{what}", body, content_type), f"{sender[:40]}/{what} {body[:100]!r}"

    return [run_target("chat", chat, chat_bodies(), chat_request, deadline),
            run_target("eligibility", eligibility, eligibility_bodies(), eligibility_request, deadline),
            run_target("staff", staff, staff_requests(), staff_request, deadline),
            *([run_target("live chat", live, live_requests(), live_request, deadline)] if live else []),
            *([run_target("staff forms", signed_in, signed_in_staff_requests(), signed_in_request, deadline)] if signed_in else [])]


def prepare_database() -> None:
    """The knowledge base and the fuzzing admin in the database ``VEIVISER_DATABASE_URL`` names."""
    subprocess.run([sys.executable, "-m", "knowledge", "setup"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "knowledge", "create-user", FUZZ_ADMIN, "--role", "admin"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "VEIVISER_NEW_PASSWORD": FUZZ_PASSWORD})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--chat", type=int, default=10_000)
    parser.add_argument("--eligibility", type=int, default=3_000)
    parser.add_argument("--staff", type=int, default=1_000)
    parser.add_argument("--live", type=int, default=1_000, help="the family's live chat messages and its end")
    parser.add_argument("--staff-forms", type=int, default=1_000, help="every staff form and filter, signed in as an admin")
    parser.add_argument("--seconds", type=float, default=1800, help="stop generating after this long")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="veiviser-fuzz-") as folder:
        logs = Path(folder)
        # Its own database and inbox: fuzzing must not fill the editors' list of unanswered questions.
        os.environ.update({"VEIVISER_DATABASE_URL": f"sqlite:///{logs / 'fuzz.db'}", "VEIVISER_KE_INBOX": str(logs / "inbox"),
                           "VEIVISER_RECEIPT_DIR": str(logs / "receipts")})
        prepare_database()
        with assistant(ROOT / "models" / "veiviser.tar.gz", logs, rasa_port=free_port(), actions_port=free_port()) as rasa_url, \
                web_app(rasa_url, logs) as web:
            tallies = fuzz(web, args.chat, args.eligibility, args.staff, args.seconds, args.live, args.staff_forms)
    tried = sum(t.tried for t in tallies)
    errors = sum(n for t in tallies for s, n in t.statuses.items() if s >= 500)
    timeouts = sum(t.timeouts for t in tallies)
    print(f"all          tried {tried:6}   5xx {errors:4}   timeouts {timeouts:3}   in {time.monotonic() - started:.0f} s")
    return 1 if errors or timeouts else 0


if __name__ == "__main__":
    sys.exit(main())
