"""The judging rules at the top of ../shared/eval/questions.yaml, as code."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.language_detection import decide_language
from knowledge.text import ascii_digits

MAIN_PHONE = "94837285"


def squash(text: str) -> str:
    """Digits normalised; spaces, dots and colons removed."""
    return re.sub(r"[\s.:]", "", ascii_digits(text))


@dataclass
class Verdict:
    passed: bool
    reasons: list[str]
    reply_language: str


def reply_language(replies: list[dict[str, Any]]) -> str:
    text = " ".join(r.get("text") or "" for r in replies)
    return decide_language(text).language


def judge(item: dict[str, Any], replies: list[dict[str, Any]]) -> Verdict:
    reasons: list[str] = []
    customs = [r.get("custom") or {} for r in replies]
    text = "\n".join(r.get("text") or "" for r in replies)
    expect = item["expect"]
    cards = [c.get("service") for c in customs if c.get("type") == "service_card"]
    if expect == "contact":
        if not any(c.get("type") == "contact" for c in customs):
            reasons.append("no contact payload")
    elif expect == "fallback":
        if cards:
            reasons.append(f"service card {cards} on a fallback question")
        if MAIN_PHONE not in squash(text) and not re.search(r"rephrase|another way|annen måte|طريقة أخرى|ብኻልእ", text, re.I):
            reasons.append("does not ask to rephrase or offer a human")
    elif expect not in cards:
        reasons.append(f"expected service {expect}, got cards {cards or 'none'}")
    language = reply_language(replies) if text.strip() else "none"
    wanted = item["lang"]
    if not (language == wanted or (wanted == "nn" and language in ("nb", "nn")) or (wanted == "nb" and language == "nn")):
        reasons.append(f"reply in {language}, expected {wanted}")
    for fact in item.get("facts") or []:
        if squash(str(fact)) not in squash(text):
            reasons.append(f"fact {fact!r} missing")
    return Verdict(not reasons, reasons, language)
