"""Answers for an independent check (issue 12): questions about services and signposts in nb and
en, sent to the assistant like a family would, written out with the text shown and its sources.

``python -m veiviser_eval.review_sample OUT.md`` (starts the servers if none run). A reviewer who
reads only the seeds and this file checks each answer and each shown source.
"""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

from veiviser_eval.__main__ import send
from veiviser_eval.servers import RASA_URL, assistant, is_up

#: (language, question): 14+ services and signposts, several aspects, both languages.
QUESTIONS = [
    ("nb", "Hva koster avlastning?"),
    ("nb", "Hvem kan få BPA?"),
    ("nb", "Hvordan søker vi om ledsagerbevis?"),
    ("nb", "Hvordan søker vi om familietiltak?"),
    ("nb", "Trenger vi henvisning for å få fysioterapi?"),
    ("nb", "Hvem kan få barnekoordinator?"),
    ("nb", "Hva er omsorgsstønad?"),
    ("nb", "Hvordan søker vi om hjelpestønad?"),
    ("nb", "Hva skjer når sønnen vår fyller 18 år?"),
    ("nb", "Hva er en ansvarsgruppe?"),
    ("nb", "Hvem bestemmer om vi får støttekontakt?"),
    ("nb", "Hva er utvidet SFO?"),
    ("en", "Who can get relief care?"),
    ("en", "How do we apply for a coordinator?"),
    ("en", "What is an individual plan?"),
    ("en", "Who decides about home nursing for our daughter?"),
    ("en", "How do we get a place in a children's home (barnebolig)?"),
    ("en", "What does occupational therapy cost?"),
    ("en", "How do we get an interpreter for a meeting?"),
    ("en", "What is Starthjelp?"),
    ("en", "How do we apply for grunnstønad?"),
    ("en", "How do we get a referral to the habilitation service at the hospital?"),
    ("en", "Who helps us apply for assistive devices from NAV?"),
    ("en", "Our daughter is having a seizure that won't stop, what do we do?"),
]


def render(language: str, question: str, replies: list[dict]) -> str:
    lines = [f"### [{language}] {question}", ""]
    for reply in replies:
        if reply.get("text"):
            lines += [reply["text"], ""]
        custom = reply.get("custom") or {}
        if custom.get("type") in ("service_card", "signpost"):
            key = custom.get("service") or custom.get("signpost")
            lines.append(f"*card: {custom['type']} `{key}`; sources of the shown text:* "
                         + "; ".join(f"{s['title']}, {s.get('section') or ''}" + (f" ({s['law']})" if s.get("law") else "")
                                     for s in custom.get("sources") or []))
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "review_sample.md")

    def run(url: str) -> None:
        parts = ["# Answers for an independent check", ""]
        for language, question in QUESTIONS:
            replies, _ = send(question, f"review-{uuid.uuid4().hex}", url)
            parts.append(render(language, question, replies))
        out.write_text("\n".join(parts), encoding="utf-8")
        print(f"wrote {len(QUESTIONS)} answers to {out}")

    if is_up(f"{RASA_URL}/"):
        run(RASA_URL)
    else:
        with assistant() as url:
            run(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
