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

#: (language, question): 14+ services and signposts, several aspects, both languages. The second
#: check (after what happens after applying, appeals and BPA's school hours were added) asks new
#: questions; the first check's 24 are in the history of this file.
QUESTIONS = [
    ("nb", "Hvor lang tid tar det å få svar på søknad om avlastning?"),
    ("nb", "Vi fikk avslag på BPA. Hvordan klager vi?"),
    ("nb", "Får vi BPA mens barnet er på skolen?"),
    ("nb", "Hvordan søker vi om ledsagerbevis?"),
    ("nb", "Kan vi klage hvis vi ikke får ledsagerbevis?"),
    ("nb", "Hva koster familietiltak?"),
    ("nb", "Hvem kan få omsorgsstønad?"),
    ("nb", "Hva skjer etter at vi har søkt om støttekontakt?"),
    ("nb", "Hvordan søker vi om pleiepenger?"),
    ("nb", "Hva gjør PPT?"),
    ("nb", "Hvem kan få barnekoordinator?"),
    ("nb", "Hva er helsestasjonen?"),
    ("en", "How long does it take to get a decision on home nursing?"),
    ("en", "Can we appeal if our son does not get an individual plan?"),
    ("en", "Who decides about a coordinator?"),
    ("en", "What does physiotherapy cost?"),
    ("en", "How do we apply for extended SFO?"),
    ("en", "What happens after we apply for a place in a children's home (barnebolig)?"),
    ("en", "Who can get guidance for parents about challenging behaviour?"),
    ("en", "What is Starthjelp?"),
    ("en", "How do we apply for hjelpestønad?"),
    ("en", "Our son turns 18 next year. What changes?"),
    ("en", "Who refers us to the habilitation service at the hospital?"),
    ("en", "We were refused occupational therapy. Can we appeal?"),
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
