"""The figures of a period for the staff's dashboard: conversations per day and per language, what
was asked about most, how questions were met (answered, clarified, refused, a person), check
outcomes per service, requests sent, feedback per answer, and turns per conversation.

Computed from ``usage_turns`` and ``answer_feedback`` (counts, keys and redacted comments only).
Families' traffic and test traffic are counted apart: the figures are the families'; the test
traffic of the period is one number beside them.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.feedback import AnswerFeedback
from knowledge.insight.usage import OSLO, QUESTION_RESULTS, UsageTurn


@dataclass(frozen=True)
class FeedbackFigure:
    key: str
    yes: int
    no: int
    comments: tuple[str, ...]


@dataclass
class Figures:
    start: date
    end: date
    conversations: int = 0
    test_conversations: int = 0
    per_day: list[tuple[date, int]] = field(default_factory=list)
    per_language: list[tuple[str, int]] = field(default_factory=list)
    subjects: list[tuple[str, str, int]] = field(default_factory=list)  # kind, key, turns
    results: list[tuple[str, int]] = field(default_factory=list)  # of the questions
    checks: list[tuple[str, str, int]] = field(default_factory=list)  # service, outcome, count
    sent: list[tuple[str, int]] = field(default_factory=list)  # application | callback
    feedback: list[FeedbackFigure] = field(default_factory=list)
    median_turns: float | None = None

    @property
    def questions(self) -> int:
        return sum(count for _result, count in self.results)


def _main_language(languages: Counter) -> str:
    """A conversation's language: the one most of its turns were answered in."""
    return languages.most_common(1)[0][0]


def figures(session: Session, start: date, end: date) -> Figures:
    """The figures of the days ``start`` to ``end`` (both included, Oslo days)."""
    rows = session.execute(select(UsageTurn.day, UsageTurn.conversation, UsageTurn.language, UsageTurn.result,
                                  UsageTurn.subject_kind, UsageTurn.subject, UsageTurn.check_outcome, UsageTurn.traffic)
                           .where(UsageTurn.day >= start, UsageTurn.day <= end)).all()
    result = Figures(start, end)
    result.test_conversations = len({row.conversation for row in rows if row.traffic != "real"})
    real = [row for row in rows if row.traffic == "real"]
    days: dict[date, set[str]] = defaultdict(set)
    languages: dict[str, Counter] = defaultdict(Counter)
    turns: Counter = Counter()
    for row in real:
        days[row.day].add(row.conversation)
        languages[row.conversation][row.language] += 1
        turns[row.conversation] += 1
    result.conversations = len(turns)
    result.per_day = [(start + timedelta(days=n), len(days.get(start + timedelta(days=n), ())))
                      for n in range((end - start).days + 1)]
    result.per_language = Counter(_main_language(counts) for counts in languages.values()).most_common()
    result.subjects = [(kind, key, count) for (kind, key), count in Counter(
        (row.subject_kind, row.subject) for row in real
        if row.result == "answered" and row.subject_kind in ("service", "signpost") and row.subject).most_common()]
    questions = Counter(row.result for row in real if row.result in QUESTION_RESULTS)
    result.results = [(name, questions.get(name, 0)) for name in QUESTION_RESULTS]
    result.checks = sorted((service, outcome, count) for (service, outcome), count in Counter(
        (row.subject, row.check_outcome) for row in real if row.check_outcome).items())
    sent = Counter(row.subject_kind for row in real if row.result == "sent")
    result.sent = [(kind, sent.get(kind, 0)) for kind in ("application", "callback")]
    result.median_turns = statistics.median(turns.values()) if turns else None
    result.feedback = _feedback(session, start, end)
    return result


def _feedback(session: Session, start: date, end: date) -> list[FeedbackFigure]:
    since = datetime.combine(start, time.min, OSLO)
    until = datetime.combine(end + timedelta(days=1), time.min, OSLO)
    rows = session.execute(select(AnswerFeedback.key, AnswerFeedback.helpful, AnswerFeedback.comment)
                           .where(AnswerFeedback.created_at >= since, AnswerFeedback.created_at < until,
                                  AnswerFeedback.traffic == "real")).all()
    yes: Counter = Counter()
    no: Counter = Counter()
    comments: dict[str, list[str]] = defaultdict(list)
    for key, helpful, comment in rows:
        (yes if helpful else no)[key] += 1
        if comment:
            comments[key].append(comment)
    keys = sorted(set(yes) | set(no), key=lambda k: (-(yes[k] + no[k]), k))
    return [FeedbackFigure(key, yes[key], no[key], tuple(comments[key])) for key in keys]


def csv_rows(result: Figures, titles: dict[str, str]) -> list[tuple[str, str, str, int | float]]:
    """Every figure as (figure, key, detail, value): one table a spreadsheet can read."""
    out: list[tuple[str, str, str, int | float]] = [("samtaler", "alle", "", result.conversations),
                                                     ("samtaler", "test", "regnes ikke med", result.test_conversations)]
    out += [("samtaler per dag", day.isoformat(), "", count) for day, count in result.per_day]
    out += [("samtaler per språk", language, "", count) for language, count in result.per_language]
    out += [("mest spurt om", key, titles.get(key, kind), count) for kind, key, count in result.subjects]
    out += [("spørsmål", name, "", count) for name, count in result.results]
    out += [("sjekk", service, outcome, count) for service, outcome, count in result.checks]
    out += [("sendt", kind, "", count) for kind, count in result.sent]
    for figure in result.feedback:
        out += [("tilbakemelding", figure.key, "ja", figure.yes), ("tilbakemelding", figure.key, "nei", figure.no)]
    if result.median_turns is not None:
        out.append(("meldinger per samtale", "median", "", result.median_turns))
    return out
