"""`make compare`: choose the service classifier by measurement (issue 11, item 6).

For each candidate (classifier kind × how a story is read) it prints
- 5-fold cross-validation on the training data, per language (nlu_data/<lang>): share of examples
  whose service (or "none") is the top reading;
- on the blind sets (tests/data/blind_families_*.yaml; never trained on): for messages about a
  service, the share where it is the top reading and where it is among the top three; for
  messages that are not about any service, the share read as a service above the threshold;
- training time on all data and the time to read one message.

This measures the service recogniser alone, without Rasa, in seconds. With ``--pipelines`` it also
trains whole NLU pipelines (the assistant's, and DIET as the intent classifier) and scores how
often their parse routes a blind message to the right kind of answer (minutes). `make eval`
measures the whole assistant.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml

from knowledge.aspects import SERVICE_INTENTS
from veiviser_nlu.normalize import normalize
from veiviser_nlu.service_classifier import NO_SERVICE, WEIGHTS, build_classifier, fit, ranked_services, read_story

ROOT = Path(__file__).resolve().parents[2]

LANGUAGES = ("nb", "nn", "en", "ar", "ti")
THRESHOLD = 0.45
READINGS = {"whole text (the assistant's)": WEIGHTS,
            "half whole, half sentences": {"whole": 0.5, "question": 0.25, "clearest": 0.25},
            "whole and question sentence": {"whole": 0.7, "question": 0.3, "clearest": 0.0}}


def training_examples() -> list[tuple[str, str, str]]:
    """(language, text, label) for every intent example in nlu_data, labelled as the recogniser learns them."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    examples = []
    for language in LANGUAGES:
        for path in sorted((ROOT / "nlu_data" / language).glob("*.yml")):
            data = RasaYAMLReader().read(path)
            for message in data.intent_examples:
                values = [e["value"] for e in message.get("entities") or [] if e["entity"] == "service"]
                examples.append((language, message.get("text"), str(values[0]) if values else NO_SERVICE))
    return examples


def cross_validate(kind: str, examples: list[tuple[str, str, str]], folds: int = 5) -> dict[str, float]:
    from sklearn.model_selection import StratifiedKFold

    languages = np.array([e[0] for e in examples])
    texts = np.array([e[1] for e in examples], dtype=object)
    labels = np.array([e[2] for e in examples])
    right: dict[str, list[bool]] = defaultdict(list)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        model = fit(build_classifier(kind), texts[train], labels[train])
        predicted = model.predict([normalize(str(t)) for t in texts[test]])
        for language, truth, guess in zip(languages[test], labels[test], predicted, strict=True):
            right[language].append(truth == guess)
    return {language: float(np.mean(values)) for language, values in right.items()}


def blind_items(names: list[str]) -> list[dict]:
    items = []
    for path in sorted((ROOT / "tests" / "data").glob("blind_families_*.yaml")):
        if path.stem[-1] not in names:
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            items.append({**item, "file": path.stem[-1]})
    return items


def score_blind(model, items: list[dict], weights: dict[str, float]) -> dict[str, tuple[float, float, float, int]]:
    """Per file (and language): (top-1, top-3, top-1 above the threshold, n) on messages about a
    service; for the others, the share read as a service above the threshold in the third place."""
    groups: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    for item in items:
        reading = read_story(model, item["text"], weights)
        ranking = ranked_services(reading)
        sure = ranking[0][1] >= THRESHOLD and ranking[0][1] > reading.get(NO_SERVICE, 0.0)
        if item["expect"] in ("fallback",):
            groups[item["file"] + " fallback"].append((False, False, sure))
        elif item["expect"] not in ("contact", "overview"):
            top = [label for label, _ in ranking[:3]]
            row = (top[0] == item["expect"], item["expect"] in top, sure and top[0] == item["expect"])
            groups[item["file"]].append(row)
            groups[f"{item['file']} {item['lang']}"].append(row)
    return {name: tuple(float(np.mean([r[k] for r in rows])) for k in range(3)) + (len(rows),)
            for name, rows in sorted(groups.items())}


PIPELINES = {"logistic regression (bot/config.yml)": ROOT / "bot" / "config.yml",
             "logistic regression, 1000 iterations": Path(__file__).resolve().parent / "pipelines" / "logreg_1000.yml",
             "DIET, 40 epochs": Path(__file__).resolve().parent / "pipelines" / "diet.yml"}


def nlu_routes_right(item: dict, parse: dict) -> bool:
    """Whether the NLU's reading leads to the expected kind of answer (before any action logic)."""
    intent = (parse.get("intent") or {}).get("name")
    services = [e["value"] for e in parse.get("entities") or [] if e.get("entity") == "service"]
    if item["expect"] == "contact":
        return intent == "ask_contact"
    if item["expect"] == "overview":
        return intent in ("ask_services_overview", "ask_what_we_can_get")
    if item["expect"] == "fallback":
        return not (intent in SERVICE_INTENTS and services)
    return intent in SERVICE_INTENTS and services[:1] == [item["expect"]]


def compare_pipelines(items: list[dict]) -> None:
    """Train each whole NLU pipeline (minutes each) and score its parses of the blind sets."""
    import asyncio
    import subprocess
    import tempfile

    from rasa.core.agent import Agent

    for name, config in PIPELINES.items():
        out = Path(tempfile.mkdtemp(prefix="veiviser-compare-"))
        start = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "--config", str(config), "--nlu", str(ROOT / "nlu_data"),
                        "--domain", str(ROOT / "bot" / "domain.yml"), "--out", str(out), "--fixed-model-name", "candidate", "--quiet"],
                       check=True, cwd=ROOT / "bot", stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        agent = Agent.load(str(out / "candidate.tar.gz"))

        async def parse_all(agent=agent):
            return [await agent.parse_message(item["text"]) for item in items]

        start = time.perf_counter()
        parses = asyncio.run(parse_all())
        per_message = (time.perf_counter() - start) / max(1, len(items)) * 1000
        groups: dict[str, list[bool]] = defaultdict(list)
        for item, parse in zip(items, parses, strict=True):
            right = nlu_routes_right(item, parse)
            groups[f"{item['file']} all"].append(right)
            groups[f"{item['file']} {item['lang']}"].append(right)
        print(f"\n== pipeline: {name}: trained in {seconds:.0f} s, {per_message:.0f} ms per parse")
        for group, values in sorted(groups.items()):
            print(f"    blind {group:<8} n={len(values):<4} routed right {np.mean(values):.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make compare", description=__doc__)
    parser.add_argument("--kinds", nargs="+", default=["logreg", "logreg_c5", "svm"])
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation (faster)")
    parser.add_argument("--blind", nargs="+", default=["a", "b"],
                        help="which blind sets to score (default a b; d is kept for the final check of issue 11)")
    parser.add_argument("--pipelines", action="store_true",
                        help="also train whole NLU pipelines (logistic regression, DIET) and compare their routing (slow)")
    args = parser.parse_args(argv)
    examples = training_examples()
    print(f"training examples: {len(examples)} ({', '.join(f'{lang} {sum(e[0] == lang for e in examples)}' for lang in LANGUAGES)})")
    items = blind_items(args.blind)
    for kind in args.kinds:
        print(f"\n== {kind}")
        if not args.no_cv:
            scores = cross_validate(kind, examples)
            print("cross-validation, top reading right: " + ", ".join(f"{lang} {scores.get(lang, 0):.0%}" for lang in LANGUAGES))
        start = time.perf_counter()
        model = fit(build_classifier(kind), [e[1] for e in examples], [e[2] for e in examples])
        print(f"training on all data: {time.perf_counter() - start:.1f} s")
        for name, weights in READINGS.items():
            start = time.perf_counter()
            table = score_blind(model, items, weights)
            per_message = (time.perf_counter() - start) / max(1, len(items)) * 1000
            print(f"  reading: {name} ({per_message:.1f} ms per message)")
            for group, (top1, top3, false, n) in table.items():
                if "fallback" in group:
                    print(f"    blind {group:<12} n={n:<4} read as a service: {false:.0%}")
                else:
                    print(f"    blind {group:<12} n={n:<4} top-1 {top1:.0%}  top-3 {top3:.0%}  top-1 and sure {false:.0%}")
    if args.pipelines:
        compare_pipelines(items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
