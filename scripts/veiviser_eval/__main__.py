"""`make eval`: every question of the development set through Rasa's REST channel.

Fresh sender per question; prints the pass rate per language, latency per turn (p50, p95), the
failures, and how often langdetect alone and Veiviser's detector name each message's language.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

import yaml

from veiviser_eval.judge import judge
from veiviser_eval.servers import RASA_URL, assistant


def send(message: str, sender: str, url: str) -> tuple[list[dict], float]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        replies = json.loads(response.read())
    return replies, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def compare_detectors(items: list[dict]) -> None:
    from knowledge.language_detection import LangdetectDetector, decide_language

    langdetect = LangdetectDetector()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in items:
        truth = item["lang"]
        guess = langdetect.guess(item["text"])
        ours = decide_language(item["text"]).language
        row = counts[truth]
        row[0] += 1
        row[1] += guess is not None and guess.language == truth
        row[2] += ours == truth
    print("\nLanguage detection on every question above (exact code; nn must be nn, and nn read as nb is still answered right):")
    print(f"{'lang':<6}{'n':>4}{'langdetect':>13}{'veiviser':>11}")
    total = [0, 0, 0]
    for language, (n, a, b) in sorted(counts.items()):
        print(f"{language:<6}{n:>4}{a / n:>12.0%}{b / n:>11.0%}")
        total = [total[0] + n, total[1] + a, total[2] + b]
    print(f"{'all':<6}{total[0]:>4}{total[1] / total[0]:>12.0%}{total[2] / total[0]:>11.0%}")


def evaluate(path: Path, items: list[dict], url: str) -> float:
    """Send, judge and print one question file; returns the worst language's pass rate."""
    from knowledge.language_detection import LangdetectDetector

    langdetect = LangdetectDetector()
    results: dict[str, list[bool]] = defaultdict(list)
    latencies: list[float] = []
    failures: list[str] = []
    second_opinion: list[str] = []
    for item in items:
        replies, seconds = send(item["text"], f"eval-{uuid.uuid4().hex}", url)
        latencies.append(seconds)
        verdict = judge(item, replies)
        group = "nb" if item["lang"] == "nn" else item["lang"]
        results[group].append(verdict.passed)
        if not verdict.passed:
            failures.append(f"  [{item['lang']}] {item['text']!r}: {'; '.join(verdict.reasons)}")
        reply_text = " ".join(r.get("text") or "" for r in replies)
        other = langdetect.guess(reply_text) if item["lang"] in ("nb", "nn", "en") and reply_text.strip() else None
        if other and other.language != ("nb" if item["lang"] == "nn" else item["lang"]) and not (
                item["lang"] == "nn" and other.language in ("nb", "nn")):
            second_opinion.append(f"  [{item['lang']}] {item['text']!r}: langdetect reads the reply as {other.language}")

    print(f"\nQuestions: {path} ({len(items)})")
    print(f"{'lang':<6}{'passed':>8}{'total':>7}{'rate':>8}")
    worst = 1.0
    for language in ("nb", "en", "ar", "ti"):
        outcomes = results.get(language, [])
        if outcomes:
            rate = sum(outcomes) / len(outcomes)
            worst = min(worst, rate)
            print(f"{language:<6}{sum(outcomes):>8}{len(outcomes):>7}{rate:>8.0%}")
    print("(nb includes the nn questions)")
    print(f"Latency per turn over {len(latencies)} turns: p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms")
    if failures:
        print("Failures:")
        print("\n".join(failures))
    if second_opinion:
        print("Replies whose language langdetect reads differently (nb/en only):")
        print("\n".join(second_opinion))
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make eval", description=__doc__)
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=[Path("../shared/eval/questions.yaml"), Path("tests/data/heldout_questions.yaml")],
                        help="question files (default: the development set and our held-out set)")
    parser.add_argument("--url", default=RASA_URL, help="Rasa server (default: start one if none runs)")
    parser.add_argument("--min-pass", type=float, default=0.0, help="exit 1 if a language passes less than this share")
    args = parser.parse_args(argv)
    worst = 1.0
    every_item: list[dict] = []
    with assistant():
        for path in args.questions:
            items = yaml.safe_load(path.read_text(encoding="utf-8"))
            every_item += items
            worst = min(worst, evaluate(path, items, args.url))
    compare_detectors(every_item)
    return 1 if worst < args.min_pass else 0


if __name__ == "__main__":
    sys.exit(main())
