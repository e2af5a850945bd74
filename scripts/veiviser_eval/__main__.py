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
    from knowledge.language_detection import Cld2Detector, LangdetectDetector, LinguaDetector, decide_language

    detectors = [LangdetectDetector(), Cld2Detector(), LinguaDetector()]
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * (len(detectors) + 2))
    for item in items:
        truth = item["lang"]
        row = counts[truth]
        row[0] += 1
        for index, detector in enumerate(detectors, start=1):
            guess = detector.guess(item["text"])
            row[index] += guess is not None and guess.language == truth
        row[-1] += decide_language(item["text"]).language == truth
    print("\nLanguage detection on every question above (exact code; nn must be nn, and nn read as nb is still answered right):")
    names = [d.name for d in detectors] + ["veiviser"]
    print(f"{'lang':<6}{'n':>4}" + "".join(f"{name:>12}" for name in names))
    total = [0] * (len(detectors) + 2)
    for language, row in sorted(counts.items()):
        print(f"{language:<6}{row[0]:>4}" + "".join(f"{value / row[0]:>12.0%}" for value in row[1:]))
        total = [a + b for a, b in zip(total, row, strict=True)]
    print(f"{'all':<6}{total[0]:>4}" + "".join(f"{value / total[0]:>12.0%}" for value in total[1:]))
    print("(lingua alone: nb/nn/en only, no script step; veiviser: script first, then lingua, as the assistant decides)")


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
                        default=[Path("../shared/eval/questions.yaml"), Path("tests/data/heldout_devstyle.yaml"),
                                 Path("tests/data/heldout_questions.yaml")],
                        help="question files (default: the development set and our two held-out sets)")
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
