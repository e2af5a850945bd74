"""The judging rules at the top of ../shared/eval/questions.yaml, as code.

A near miss (what another body handles) is also answered right by a signpost card (issue 12):
it says who handles it, which is better than the refusal the rules were written for."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.aspects import CARD_NAME
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
    #: The right answer, or the right service among at most three offered service buttons.
    one_tap: bool = False


_SERVICE_BUTTON = re.compile(r'^/ask_service\{"service":\s*"(\w+)"\}$')


def offered_services(replies: list[dict[str, Any]]) -> list[str]:
    """The services offered as buttons ("did you mean …?"), in order, without repeats."""
    found: list[str] = []
    for reply in replies:
        for button in reply.get("buttons") or []:
            match = _SERVICE_BUTTON.match(str(button.get("payload") or ""))
            if match and match.group(1) not in found:
                found.append(match.group(1))
    return found


def is_overview(replies: list[dict[str, Any]]) -> bool:
    """The services overview (it offers the walk-through) or the walk-through's first question."""
    payloads = [str(b.get("payload") or "") for r in replies for b in r.get("buttons") or []]
    return any(p.startswith(("/ask_what_we_can_get", "/stop")) for p in payloads) or any(
        (r.get("custom") or {}).get("type") == "eligibility_overview" for r in replies)


def _without_citations(text: str) -> str:
    """The reply without its source lines: document titles and sections are Norwegian in every
    language, and would make an English answer look Norwegian to the detector."""
    from knowledge.i18n import translator

    prefixes = tuple(translator(code).gettext("Source: {sources}").split("{")[0] for code in ("nb", "en", "ar", "ti"))
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith(prefixes))


def reply_language(replies: list[dict[str, Any]]) -> str:
    text = " ".join(_without_citations(r.get("text") or "") for r in replies)
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
        signposted = any(c.get("type") == "signpost" for c in customs) and item.get("kind") != "out_of_scope"
        if not signposted and MAIN_PHONE not in squash(text) and not re.search(
                r"rephrase|another way|annen måte|طريقة أخرى|ብኻልእ", text, re.I):
            reasons.append("does not ask to rephrase, offer a human or point to who handles it")
    elif expect == "overview":
        if cards:
            reasons.append(f"service card {cards} on a general question")
        elif not is_overview(replies):
            reasons.append("neither the services overview nor the walk-through")
    elif expect not in cards:
        offered = offered_services(replies)
        reasons.append(f"expected service {expect}, got cards {cards or 'none'}"
                       + (f", offered {offered}" if offered and not cards else ""))
    elif item.get("aspect"):
        wanted_aspect = CARD_NAME.get(item["aspect"], item["aspect"])
        aspects = [c.get("aspect") for c in customs if c.get("type") == "service_card" and c.get("service") == expect]
        if wanted_aspect not in aspects:
            reasons.append(f"expected the {wanted_aspect} part of {expect}, got {aspects}")
    language = reply_language(replies) if text.strip() else "none"
    wanted = item["lang"]
    if not (language == wanted or (wanted == "nn" and language in ("nb", "nn")) or (wanted == "nb" and language == "nn")):
        reasons.append(f"reply in {language}, expected {wanted}")
    for fact in item.get("facts") or []:
        if squash(str(fact)) not in squash(text):
            reasons.append(f"fact {fact!r} missing")
    offered = offered_services(replies)
    language_ok = not any(reason.startswith("reply in") for reason in reasons)
    one_tap = not reasons or (language_ok and not cards and expect in offered and len(offered) <= 3)
    return Verdict(not reasons, reasons, language, one_tap)
