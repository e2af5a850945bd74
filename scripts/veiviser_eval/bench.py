"""`make bench`: what Veiviser costs next to a bare Rasa assistant, measured in one run on loopback.

    python -m veiviser_eval.bench [--skip-training] [--seconds 25] [--stacks a,b,c]

Three stacks, one at a time (the machine has few cores; two stacks at once would measure each other):
(a) the web app, one Rasa and one action server; (b) the web app in front of two Rasa replicas (a
Redis lock store), each with its own action server; (c) the floor: `rasa init`'s assistant, same
Rasa version, same launcher, asked at its REST webhook. For each: latency per turn over one scripted
30-turn conversation; turns/s and p95 with 10 and 50 conversations at once; errors (not 200, no
answer in time, the web app's "cannot answer right now"); RSS of every process after the load. On
(a) also one 200-turn conversation (does a long tracker slow a turn?) and `rasa train` from scratch.
Prints one Markdown table and writes it to var/bench/bench-<time>.md and var/bench/latest.md; the
servers' logs go to var/bench/logs. Everything it starts is stopped again, also on Ctrl-C or error.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp

from knowledge.i18n import translator
from knowledge.languages import INPUT_LANGUAGES
from veiviser_eval.servers import ROOT, free_port, stop, wait_until_up
from veiviser_eval.services import postgres_available, running_postgres, running_redis
from veiviser_nlu.server import warm_up

BENCH = ROOT / "var" / "bench"
LOGS = BENCH / "logs"
BARE = BENCH / "bare"
PYTHON = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv" / "bin" / "rasa"
#: A turn not answered within this long is a timeout (the web app itself answers within about 4 s).
TIMEOUT_SECONDS = 10.0
LEVELS = (10, 50)
LONG_TURNS = 200

#: One family's conversation: questions about services in four languages, button taps, and two
#: eligibility checks answered along the way. Its first ten turns start no form and so read the same
#: in every repetition: the 200-turn conversation repeats them, and its turns 1–10 and 191–200 are
#: the same messages with the same answers.
SCRIPT: list[tuple[str, str]] = [
    ("nb", "Hei"), ("nb", "Hva er avlastning?"), ("en", "What is BPA?"), ("ar", "ما هو الشخص المرافق؟"),
    ("ti", "ሓገዝ ዕረፍቲ እንታይ እዩ?"), ("nb", "Hvem bestemmer om vi får støttekontakt?"), ("en", "/ask_contact"),
    ("nb", "Hva koster det?"),
    ("en", "My son is 15 and has no friends to hang out with. Is there someone who could take him climbing?"),
    ("nb", "Takk!"),
    ("nb", "Kan vi få avlastning?"), ("nb", "ja"), ("nb", "ja"), ("nb", "Hvordan søker vi?"), ("en", "Can we get a companion card?"),
    ("en", "How do I appeal a decision?"), ("ar", "هل يمكننا الحصول على بطاقة المرافق؟"), ("ti", "Starthjelp ክንረክብ ንኽእል ዶ?"),
    ("nb", "Hvilke tjenester finnes?"), ("en", "Can we get BPA? He needs help about 30 hours a week"), ("en", "yes"),
    ("en", "no"), ("en", "no"), ("nb", "Når har dere åpent?"),
    ("nb", "Datteren min vil gjerne svømme men trenger noen å gå sammen med"),
    ("en", "Can a nurse come to our house to help with tube feeding?"), ("en", "/affirm"),
    ("ar", "كيف أقدّم طلباً للحصول على avlastning لابنتي؟"),
    ("nb", "Hun er snart 2 år og har ikke begynt å gå. Kan hun få fysioterapi?"), ("nb", "Ha det"),
]
#: The bare assistant's conversation, in its own domain (rasa init's NLU data), also 30 turns.
BARE_SCRIPT: list[tuple[str, str]] = [("en", text) for text in [
    "hello", "I am sad", "yes", "great", "bye", "hi", "I am feeling very good", "are you a bot?", "very bad", "no",
    "good morning", "super stoked", "goodbye", "hey there", "my day was horrible", "indeed", "perfect",
    "am I talking to a human?", "I am unhappy", "of course", "see you later", "hey", "so sad", "that sounds good",
    "extremely sad", "never", "amazing", "good evening", "I am disappointed", "bye bye"]]
#: The web app's own reply when Rasa does not answer in time (knowledge.replies.unavailable_answer).
FALLBACKS = {translator(language).gettext("Veiviser cannot answer right now. Please try again in a little while.")
             for language in INPUT_LANGUAGES}


@dataclass
class Target:
    """Where a conversation's turns go: the web app's /api/chat or a Rasa REST webhook."""
    url: str
    language_metadata: bool = True


@dataclass
class Stack:
    """The processes of one stack, by role, and the URLs to talk to it."""
    chat: Target | None = None
    rasa_urls: list[str] = field(default_factory=list)
    processes: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Tally:
    """Latencies of every turn sent, and the errors by kind."""
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.latencies) - sum(self.errors.values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def new_sender() -> str:
    return "bench-" + secrets.token_hex(8)  # matches the web app's ^[A-Za-z0-9_-]{8,64}$


# --- the servers --------------------------------------------------------------------------------

def start(stack: ExitStack, module_args: list[str], health_url: str, env: dict[str, str],
          log_name: str, seconds: float = 60) -> subprocess.Popen:
    """``python -m …`` from the repository, its output in var/bench/logs/<log_name>.log. Unlike
    servers.launch, the process is registered with ``stack`` before we wait for it, so Ctrl-C during
    a slow start (Rasa takes a minute) stops it too."""
    with open(LOGS / f"{log_name}.log", "w") as log:
        process = subprocess.Popen([str(PYTHON), "-m", *module_args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    stack.callback(stop, process)
    wait_until_up(health_url, seconds, process)
    return process


def start_rasa(stack: ExitStack, model: Path, endpoints: Path, credentials: Path, env: dict[str, str],
               log_name: str) -> tuple[str, int]:
    """Rasa with Veiviser's launcher (the same for both assistants), warmed up like `make run` does;
    its URL and pid."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(stack, ["veiviser_nlu.server", "run", "--model", str(model), "--endpoints", str(endpoints),
                          "--credentials", str(credentials), "--interface", "127.0.0.1", "--port", str(port), "--quiet"],
          f"{url}/", env, log_name, seconds=240)
    warm_up(url)
    return url, process.pid


@contextmanager
def veiviser(replicas: int, env: dict[str, str], work: Path) -> Iterator[Stack]:
    """The web app in front of ``replicas`` Rasa servers, each calling its own action server
    (bot/endpoints.yml reads VEIVISER_ACTION_URL); with more than one, a throw-away Redis for Rasa's
    lock store, so a conversation is served one turn at a time whichever replica takes it."""
    result, tag = Stack(), "a" if replicas == 1 else "b"
    with ExitStack() as stack:
        if replicas > 1:
            redis = stack.enter_context(running_redis(work / "redis"))
            env = {**env, "VEIVISER_REDIS_URL": redis.url}  # the web app refuses two replicas without it too
            result.processes.append(("redis", redis.process.pid))
        for replica in range(1, replicas + 1):
            port = free_port()
            actions = start(stack, ["actions.server", "--port", str(port)], f"http://127.0.0.1:{port}/health",
                            env, f"{tag}-actions-{replica}")
            result.processes.append(("actions", actions.pid))
            url, pid = start_rasa(stack, ROOT / "models" / "veiviser.tar.gz", ROOT / "bot" / "endpoints.yml",
                                  ROOT / "bot" / "credentials.yml", {**env, "VEIVISER_ACTION_URL": f"http://127.0.0.1:{port}/webhook"},
                                  f"{tag}-rasa-{replica}")
            result.rasa_urls.append(url)
            result.processes.append(("rasa", pid))
        web_port = free_port()
        web = start(stack, ["web"], f"http://127.0.0.1:{web_port}/health",
                    {**env, "VEIVISER_RASA_URLS": ",".join(result.rasa_urls), "VEIVISER_WEB_HOST": "127.0.0.1",
                     "VEIVISER_WEB_PORT": str(web_port), "VEIVISER_CHAT_LIMIT_PER_CLIENT": "1000000"},  # all from 127.0.0.1
                    f"{tag}-web")
        result.processes.append(("web", web.pid))
        result.chat = Target(f"http://127.0.0.1:{web_port}/api/chat")
        yield result


def bare_model(env: dict[str, str]) -> tuple[Path, float | None]:
    """The bare assistant's model, made once by `rasa init` (which trains it) and reused after;
    with the seconds that took when it was made in this run (also kept in var/bench/bare/training.txt)."""
    models = sorted((BARE / "models").glob("*.tar.gz"))
    if models:
        return models[-1], None
    BARE.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(LOGS / "c-train.log", "w") as log:
        if any(BARE.iterdir()):  # a project without a model: an earlier run stopped while training
            command = [str(RASA), "train"]
        else:
            command = [str(RASA), "init", "--no-prompt", "--init-dir", str(BARE)]
        subprocess.run(command, cwd=BARE, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    seconds = time.monotonic() - started
    (BARE / "training.txt").write_text(f"{seconds:.0f} s (`rasa {command[1]}`, {datetime.now():%Y-%m-%d})\n", encoding="utf-8")
    return sorted((BARE / "models").glob("*.tar.gz"))[-1], seconds


@contextmanager
def bare(env: dict[str, str], model: Path) -> Iterator[Stack]:
    """rasa init's assistant alone (its endpoints name no action server; its rules only utter)."""
    result = Stack()
    with ExitStack() as stack:
        url, pid = start_rasa(stack, model, BARE / "endpoints.yml", BARE / "credentials.yml", env, "c-rasa")
        result.rasa_urls.append(url)
        result.processes.append(("rasa", pid))
        result.chat = Target(f"{url}/webhooks/rest/webhook", language_metadata=False)
        yield result


# --- the load -----------------------------------------------------------------------------------

async def turn(session: aiohttp.ClientSession, target: Target, sender: str, language: str, text: str, tally: Tally) -> None:
    """One message and its answer; an error is a status other than 200, no answer within
    TIMEOUT_SECONDS, no reply at all, or the web app's "cannot answer right now"."""
    body = {"sender": sender, "message": text, **({"metadata": {"language": language}} if target.language_metadata else {})}
    started = time.perf_counter()
    error = None
    try:
        async with session.post(target.url, json=body, timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as response:
            replies = await response.json(content_type=None) if response.status == 200 else None
            if response.status != 200:
                error = f"HTTP {response.status}"
            elif not replies:
                error = "no reply"
            elif any(fallback in (reply.get("text") or "") for reply in replies for fallback in FALLBACKS):
                error = "cannot answer"
    except asyncio.TimeoutError:
        error = "timeout"
    except aiohttp.ClientError as exc:
        error = type(exc).__name__
    tally.latencies.append(time.perf_counter() - started)
    if error:
        tally.errors[error] += 1


async def conversation(target: Target, script: list[tuple[str, str]], turns: int | None = None) -> Tally:
    """One conversation, one sender, the script's turns one after the other (cycled up to ``turns``)."""
    tally, sender = Tally(), new_sender()
    async with aiohttp.ClientSession() as session:
        for index in range(turns or len(script)):
            language, text = script[index % len(script)]
            await turn(session, target, sender, language, text, tally)
    return tally


async def load(target: Target, script: list[tuple[str, str]], conversations: int, seconds: float) -> Tally:
    """``conversations`` at once for ``seconds``, each sending its next turn as soon as the last is
    answered (a closed loop: the figure is what the stack sustains, not what a queue absorbs). A
    conversation takes a fresh sender after the script's last turn, so none exceeds the web app's
    30 messages per conversation a minute."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    async def family(session: aiohttp.ClientSession) -> None:
        while time.monotonic() < deadline:
            sender = new_sender()
            for language, text in script:
                if time.monotonic() >= deadline:
                    return
                await turn(session, target, sender, language, text, tally)

    started = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=conversations)) as session:
        await asyncio.gather(*(family(session) for _ in range(conversations)))
    tally.seconds = time.monotonic() - started
    return tally


def measure(stack: Stack, script: list[tuple[str, str]], seconds: float) -> dict:
    """Latency of one conversation, then the load levels; a short conversation first warms up
    whatever loads on first use (language models, the database connection)."""
    asyncio.run(conversation(stack.chat, script, turns=6))
    results = {"conversation": asyncio.run(conversation(stack.chat, script))}
    for level in LEVELS:
        results[level] = asyncio.run(load(stack.chat, script, level, seconds))
    return results


# --- memory, training, the machine --------------------------------------------------------------

def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (read from /proc/*/stat)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_kb(pid: int) -> int:
    try:
        match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def memory(stack: Stack) -> list[tuple[str, int]]:
    """RSS in kB per role, each process with its child processes (a process that forks workers
    should not look smaller than it is)."""
    return [(role, sum(rss_kb(p) for p in [pid, *children(pid)])) for role, pid in stack.processes]


def train_veiviser(env: dict[str, str], work: Path) -> float:
    """`rasa train` exactly as scripts/train_if_changed.sh runs it (--force: no cached component is
    reused), into a temporary folder and with a cache of its own, so models/ and .rasa/ are untouched."""
    command = [str(RASA), "train", "--config", "bot/config.yml", "--domain", "bot/domain.yml", "--data", "bot/data", "nlu_data",
               "--out", str(work / "model"), "--fixed-model-name", "veiviser", "--quiet", "--force"]
    started = time.monotonic()
    with open(LOGS / "a-train.log", "w") as log:
        subprocess.run(command, cwd=ROOT, env={**env, "RASA_CACHE_DIRECTORY": str(work / "cache")}, stdout=log,
                       stderr=subprocess.STDOUT, check=True)
    return time.monotonic() - started


def machine() -> str:
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    ram = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
    return (f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else platform.machine()}), {ram / 1024 ** 2:.1f} GiB RAM, "
            f"Linux {platform.release()}, Python {platform.python_version()}")


def commit() -> str:
    """HEAD, and whether tracked files differ from it (what ran may not be what is committed)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return head + (" with uncommitted changes" if dirty else "")


# --- the table ----------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def ratio(value: float | None, floor: float | None) -> str:
    return f"×{value / floor:.2f}" if value and floor else "–"


def errors(tally: Tally) -> str:
    kinds = ", ".join(f"{n} {kind}" for kind, n in tally.errors.most_common())
    return f"{sum(tally.errors.values())} of {len(tally.latencies)}" + (f" ({kinds})" if kinds else "")


def rows(results: dict) -> list[tuple[str, dict[str, str], dict[str, float]]]:
    """(label, cell per stack, number per stack for the ratio) for every measured figure."""
    def per_stack(show, number):
        cells, numbers = {}, {}
        for key, result in results.items():
            if "failed" not in result:
                cells[key], numbers[key] = show(result), number(result)
        return cells, numbers

    table = []
    for label, share in (("p50", 0.5), ("p95", 0.95)):
        table.append((f"one 30-turn conversation: {label} per turn",
                      *per_stack(lambda r, s=share: ms(percentile(r["conversation"].latencies, s)),
                                 lambda r, s=share: percentile(r["conversation"].latencies, s))))
    table.append(("one 30-turn conversation: errors", *per_stack(lambda r: errors(r["conversation"]), lambda r: None)))
    for level in LEVELS:
        table.append((f"{level} conversations at once: answered turns/s",
                      *per_stack(lambda r, n=level: f"{r[n].answered / r[n].seconds:.1f}", lambda r, n=level: r[n].answered / r[n].seconds)))
        table.append((f"{level} conversations at once: p95 per turn",
                      *per_stack(lambda r, n=level: ms(percentile(r[n].latencies, 0.95)), lambda r, n=level: percentile(r[n].latencies, 0.95))))
        table.append((f"{level} conversations at once: errors", *per_stack(lambda r, n=level: errors(r[n]), lambda r: None)))

    def show_memory(result):
        by_role: dict[str, list[int]] = {}
        for role, kb in result["memory"]:
            by_role.setdefault(role, []).append(kb)
        parts = [f"{role} {'+'.join(f'{kb / 1024:.0f}' for kb in kbs)}" for role, kbs in by_role.items()]
        return " · ".join(parts) + f" = **{sum(kb for _, kb in result['memory']) / 1024:.0f} MB**"
    table.append(("RSS after the load (MB, with child processes)",
                  *per_stack(show_memory, lambda r: sum(kb for _, kb in r["memory"]))))
    table.append(("training from scratch", *per_stack(lambda r: r.get("training", "–"), lambda r: r.get("training_seconds"))))
    table.append((f"one {LONG_TURNS}-turn conversation: mean of turns 1–10 → 191–200",
                  *per_stack(lambda r: r.get("long", "–"), lambda r: None)))
    return table


def render(results: dict, names: dict[str, str], header: list[str], notes: list[str]) -> str:
    floor = "c"
    columns = []
    for key in names:
        columns.append(key)
        if key != floor and floor in names:
            columns.append(f"{key}÷{floor}")
    title = {key: names[key] for key in names} | {f"{k}÷{floor}": f"{k} ÷ {floor}" for k in names}
    lines = [*header, "", "| | " + " | ".join(title[c] for c in columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for number, (label, cells, numbers) in enumerate(rows(results)):
        row = []
        for column in columns:
            if "÷" in column:
                row.append(ratio(numbers.get(column.split("÷")[0]), numbers.get(floor)))
            else:
                row.append(cells.get(column) or ("not measured, see below" if number == 0 else "–"))
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    failures = [f"{names[key][:2]} {result['failed']}" for key, result in results.items() if "failed" in result]
    return "\n".join([*lines, "", *failures, *notes, ""])


# --- the run ------------------------------------------------------------------------------------

def run_stack(key: str, context, script, seconds: float, results: dict, extra=None) -> None:
    """Start a stack, measure it, read its memory after the load, stop it; a stack that cannot
    start is reported as failed and the run goes on with the next."""
    started = time.monotonic()
    print(f"stack {key}: starting", flush=True)
    try:
        with context as stack:
            print(f"stack {key}: up after {time.monotonic() - started:.0f} s; measuring", flush=True)
            results[key] = measure(stack, script, seconds)
            if extra:
                extra(stack, results[key])
            results[key]["memory"] = memory(stack)
    except (RuntimeError, TimeoutError, OSError, subprocess.CalledProcessError) as exc:
        results[key] = {"failed": f"failed: {type(exc).__name__}: {str(exc)[:300]}"}
        print(f"stack {key}: {results[key]['failed']} (logs: {LOGS})", flush=True)


def long_conversation(stack: Stack, result: dict) -> None:
    """Turns 1–10 against 191–200 of one conversation, sent to Rasa itself: the web app keeps no
    conversation state (so adds nothing that grows) and allows 30 messages per conversation a minute."""
    tally = asyncio.run(conversation(Target(f"{stack.rasa_urls[0]}/webhooks/rest/webhook"), SCRIPT[:10], turns=LONG_TURNS))
    first, last = statistics.mean(tally.latencies[:10]), statistics.mean(tally.latencies[-10:])
    result["long"] = f"{ms(first)} → {ms(last)} (×{last / first:.2f}; errors {errors(tally)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--skip-training", action="store_true", help="leave out the 4-minute `rasa train` from scratch")
    parser.add_argument("--seconds", type=float, default=25, help="length of each load level (default 25)")
    parser.add_argument("--stacks", default="a,b,c", help="which stacks to measure (default a,b,c)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a `kill` unwinds like Ctrl-C: every server is stopped
    begun, when = time.monotonic(), datetime.now().astimezone()
    LOGS.mkdir(parents=True, exist_ok=True)
    load_at_start, commit_at_start = os.getloadavg()[0], commit()
    names = {"a": "a) Veiviser, 1 Rasa", "b": "b) Veiviser, 2 Rasa", "c": "c) bare `rasa init`"}
    names = {key: name for key, name in names.items() if key in args.stacks.split(",")}
    results: dict[str, dict] = {}
    notes = []
    with tempfile.TemporaryDirectory(prefix="veiviser-bench-") as folder, ExitStack() as database:
        work = Path(folder)
        # Its own database and inbox: the benchmark's questions must not reach the editors' list. PostgreSQL, as in
        # production (two replicas on one SQLite file wait for each other's writes), unless it is not installed.
        database_url = (database.enter_context(running_postgres(work / "pg")).url if postgres_available()
                        else f"sqlite:///{work / 'bench.db'}")
        env = {**os.environ, "SANIC_HOST": "127.0.0.1", "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
               "PYTHONHASHSEED": "0", "VEIVISER_ACTION_TOKEN": secrets.token_urlsafe(32),
               "VEIVISER_DATABASE_URL": database_url, "VEIVISER_KE_INBOX": str(work / "inbox"),
               "VEIVISER_RECEIPT_DIR": str(work / "receipts")}
        subprocess.run([str(PYTHON), "-m", "knowledge", "setup"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        if "c" in names:
            try:
                model, trained = bare_model(env)
                earlier = BARE / "training.txt"
                training = (f"{trained:.0f} s (this run)" if trained else
                            f"{earlier.read_text().strip()}, an earlier run" if earlier.exists() else "not measured (an earlier run's model)")
                run_stack("c", bare(env, model), BARE_SCRIPT, args.seconds, results)
                results["c"].setdefault("training", training)
                results["c"]["training_seconds"] = trained
            except subprocess.CalledProcessError as exc:
                results["c"] = {"failed": f"failed: rasa init/train exited with {exc.returncode}"}
        if "a" in names:
            run_stack("a", veiviser(1, env, work), SCRIPT, args.seconds, results, extra=long_conversation)
        if "b" in names:
            run_stack("b", veiviser(2, env, work), SCRIPT, args.seconds, results)
        if "a" in names and "failed" not in results["a"]:
            if args.skip_training:
                results["a"]["training"] = "not measured (--skip-training)"
            else:
                print("training Veiviser from scratch (about 4 minutes)", flush=True)
                try:
                    seconds = train_veiviser(env, work)
                    results["a"]["training"], results["a"]["training_seconds"] = f"{seconds:.0f} s", seconds
                except subprocess.CalledProcessError as exc:
                    results["a"]["training"] = f"failed (exit {exc.returncode}, var/bench/logs/a-train.log)"
    took = time.monotonic() - begun
    header = ["# Veiviser benchmark", "",
              f"- date: {when:%Y-%m-%d %H:%M %Z}; the run took {took / 60:.1f} min",
              f"- commit: {commit_at_start}" + ("" if commit() == commit_at_start else f" at the start, {commit()} at the end"),
              f"- machine: {machine()}; load average {load_at_start:.2f} at the start, {os.getloadavg()[0]:.2f} at the end",
              f"- load: closed loop on 127.0.0.1, no pause between turns, {args.seconds:.0f} s per level; a turn not answered "
              f"within {TIMEOUT_SECONDS:.0f} s is a timeout; Veiviser asked at the web app's /api/chat, the bare assistant at "
              "its REST webhook; ratios are Veiviser ÷ bare, measured in this run",
              f"- Veiviser's database (and so its conversations, bot/endpoints.yml's tracker store): "
              f"{'PostgreSQL' if 'postgresql' in database_url else 'SQLite'}, made afresh for the run; the replicas of b) "
              "share it and a throw-away Redis for their locks"]
    notes.append(f"The {LONG_TURNS}-turn conversation repeats the script's first 10 turns and goes to Rasa itself (the web app "
                 "keeps no conversation state and allows 30 messages per conversation a minute). Logs: var/bench/logs.")
    table = render(results, names, header, notes)
    print(table)
    stamp = f"{when:%Y%m%d-%H%M%S}"
    (BENCH / f"bench-{stamp}.md").write_text(table, encoding="utf-8")
    shutil.copyfile(BENCH / f"bench-{stamp}.md", BENCH / "latest.md")
    return 1 if any("failed" in result for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
