"""Questions Veiviser could not answer, kept for editors (with personal data removed).

Recorded on every fallback and low-confidence turn: the redacted text, its language, the intent
and confidence the model gave; never the sender id. Editors see them grouped by similarity, mark
them handled or link them to the service they were about, and export them as NLU training
candidates (Rasa's YAML format), so the next model learns them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import yaml
from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Session

from knowledge.models import Base, utcnow
from knowledge.redaction import redact

SIMILAR = 0.5


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"
    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)  # redacted
    language = Column(String(5), nullable=False)
    intent = Column(String(64), nullable=True)
    confidence = Column(Float, nullable=True)
    reason = Column(String(32), nullable=False)  # not_understood | out_of_scope | low_confidence | clarified
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    handled = Column(Boolean, nullable=False, default=False)
    service_key = Column(String(64), nullable=True)
    #: "test" for questions from tests and evaluations (their messages' metadata): not on the editors' list.
    traffic = Column(String(8), nullable=False, default="real", server_default="real", index=True)


LOW_CONFIDENCE = 0.6
"""An answered question whose intent confidence is below this is recorded too (reason
``low_confidence``): the answer may have been a guess, and editors should see the wording."""


def is_unsure(confidence: float | None) -> bool:
    return confidence is not None and confidence < LOW_CONFIDENCE


def record(session: Session, text: str, language: str, intent: str | None, confidence: float | None, reason: str,
           traffic: str = "real") -> UnansweredQuestion | None:
    """Store one question, redacted; empty or payload-only messages are not worth keeping."""
    cleaned = redact(text)[:1000]
    words = re.sub(r"\[(?:name|number|e-mail|link|date|…)\]", " ", cleaned)
    if not re.search(r"[^\W\d_]{2,}", words) or cleaned.startswith("/"):
        return None
    question = UnansweredQuestion(text=cleaned, language=language, intent=intent, confidence=confidence, reason=reason,
                                  traffic=traffic)
    session.add(question)
    session.flush()
    return question


def _grams(text: str) -> set[str]:
    words = re.findall(r"[^\W_]+", text.casefold())
    value = " " + " ".join(words) + " "
    return {value[i:i + 3] for i in range(len(value) - 2)}


@dataclass
class Question:
    id: int
    text: str
    language: str
    reason: str
    created_at: datetime


@dataclass
class Group:
    """Similar questions together: the first one shown, every question, and what they share."""

    example: str
    ids: list[int]
    languages: set[str]
    latest: datetime
    reasons: set[str] = field(default_factory=set)  # not_understood, out_of_scope, low_confidence, clarified
    guesses: set[str] = field(default_factory=set)  # what the model thought was asked (intent names)
    questions: list[Question] = field(default_factory=list)
    service_keys: set[str] = field(default_factory=set)  # what editors linked them to
    handled: bool = True  # every question in it is handled


@dataclass(frozen=True)
class Filter:
    """Which questions the editors' list shows; None: any."""
    language: str | None = None
    reason: str | None = None
    handled: bool | None = False
    since: datetime | None = None
    until: datetime | None = None


#: The most questions grouped at once (the newest).
MOST_GROUPED = 2000


def groups(session: Session, include_handled: bool = False, only: Filter | None = None) -> list[Group]:
    """Questions from families (not test traffic) grouped by character-trigram similarity
    (Jaccard), largest groups first; ``only`` narrows them (by default: the open ones)."""
    only = only or Filter(handled=None if include_handled else False)
    query = session.query(UnansweredQuestion).filter(UnansweredQuestion.traffic == "real")
    if only.handled is not None:
        query = query.filter(UnansweredQuestion.handled.is_(only.handled))
    if only.language:
        query = query.filter(UnansweredQuestion.language == only.language)
    if only.reason:
        query = query.filter(UnansweredQuestion.reason == only.reason)
    if only.since:
        query = query.filter(UnansweredQuestion.created_at >= only.since)
    if only.until:
        query = query.filter(UnansweredQuestion.created_at < only.until)
    found: list[tuple[Group, set[str]]] = []
    for question in query.order_by(UnansweredQuestion.created_at.desc()).limit(MOST_GROUPED):
        grams = _grams(question.text)
        for group, group_grams in found:
            if grams and len(grams & group_grams) / len(grams | group_grams) >= SIMILAR:
                group.ids.append(question.id)
                group.languages.add(question.language)
                break
        else:
            group = Group(question.text, [question.id], {question.language}, question.created_at)
            found.append((group, grams))
        group.reasons.add(question.reason)
        group.questions.append(Question(question.id, question.text, question.language, question.reason, question.created_at))
        group.handled = group.handled and question.handled
        if question.service_key:
            group.service_keys.add(question.service_key)
        if question.intent:
            group.guesses.add(question.intent)
    return sorted((group for group, _ in found), key=lambda g: (-len(g.ids), -g.latest.timestamp()))


def mark_handled(session: Session, ids: list[int], service_key: str | None = None) -> int:
    count = 0
    for question in session.query(UnansweredQuestion).filter(UnansweredQuestion.id.in_(ids)):
        question.handled, question.service_key = True, service_key or question.service_key
        count += 1
    session.flush()
    return count


def export_candidates(session: Session) -> str:
    """Rasa NLU YAML of the questions linked to a service, as examples of "ask_service" to review."""
    by_language: dict[str, list[str]] = {}
    for question in session.query(UnansweredQuestion).filter(UnansweredQuestion.service_key.isnot(None)).order_by(UnansweredQuestion.id):
        by_language.setdefault(question.language, []).append(f"{question.text}  # service: {question.service_key}")
    header = ("# Training candidates from unanswered questions (personal data removed). Review each line, annotate the\n"
              "# service entity, and move it into nlu_data/<lang>/ before training.\n")
    blocks = {lang: {"version": "3.1", "nlu": [{"intent": "ask_service", "examples": "".join(f"- {line}\n" for line in lines)}]}
              for lang, lines in sorted(by_language.items())}
    return header + yaml.safe_dump(blocks, allow_unicode=True, sort_keys=False)


def purge_old(session: Session, days: int, now: datetime | None = None) -> int:
    """Delete questions older than ``days`` (VEIVISER_UNANSWERED_RETENTION_DAYS, shown to editors)."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    return session.query(UnansweredQuestion).filter(UnansweredQuestion.created_at < cutoff).delete(synchronize_session=False)
