"""An edit that may change what a Norwegian text claims asks which source says it now.

Every fact the assistant states is traced to a source, text by text (issue 12). When an editor
changes a word or a number in a Norwegian text, the editor says, for that text, either that its
sources still say it, or which document (and section, and law) does; the new source is added to
the service's sources, with history, in the same save. Changes of spacing, punctuation or letter
case only are wording and need no answer. Translations follow the Norwegian and are not asked:
their numbers are checked against it (tests/knowledge/test_truth.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from knowledge.models import Service, ServiceContent, SourceDocument, sourced_fields
from knowledge.staff import content, services

WORD = re.compile(r"\w+")
KEPT, NEW = "kept", "new"


class SourceNeeded(content.ContentError):
    """Texts whose claim may have changed and whose source the editor has not yet confirmed."""

    def __init__(self, fields: list[str]):
        self.fields = fields
        names = ", ".join(f"«{content.FIELD_LABELS[field]}»" for field in fields)
        super().__init__(f"Du har endret innholdet i {names}. Hvilken kilde sier det teksten nå sier? "
                         "Bekreft at kildene som står der fortsatt gjelder, eller oppgi en ny kilde.")


@dataclass(frozen=True)
class SourceAnswer:
    """The editor's answer for one changed text: its sources still hold, or a new source."""
    choice: str
    document: str = ""
    section: str = ""
    law: str = ""


def documents(session: Session) -> list[tuple[str, str]]:
    """The source documents a text's new source can be chosen from: (id, title)."""
    return [(d.id, d.title) for d in session.query(SourceDocument).order_by(SourceDocument.id)]


def claim_changed(old: str | None, new: str | None) -> bool:
    """True when a word or number differs (not only spacing, punctuation or case)."""
    return WORD.findall((old or "").casefold()) != WORD.findall((new or "").casefold())


def changed_claims(session: Session, key: str, language: str, fields: dict[str, str]) -> list[str]:
    """The sourced Norwegian texts of ``key`` whose claim ``fields`` would change."""
    service = session.get(Service, key)
    if language != content.SOURCE_LANGUAGE or service is None:
        return []
    row = session.query(ServiceContent).filter_by(service_key=key, language=language).one_or_none()
    if row is None:
        return []
    return [field for field in sourced_fields(service.kind) if claim_changed(getattr(row, field), fields.get(field))]


def _answered(answer: SourceAnswer | None) -> bool:
    if answer is None:
        return False
    return answer.choice == KEPT or (answer.choice == NEW and bool(answer.document) and bool(answer.section.strip()))


def save(session: Session, key: str, language: str, fields: dict[str, str], status: str, author: str, reason: str,
         answers: dict[str, SourceAnswer]) -> content.ContentVersion:
    """Validate the texts, ask for the source of each changed claim (SourceNeeded), add the new
    sources to the service (with history) and publish the texts; all in the caller's transaction."""
    service = session.get(Service, key)
    if service is None:
        raise content.ContentError(f"ukjent tjeneste: {key}")
    clean = content.validate(language, fields, status, service.kind)
    changed = changed_claims(session, key, language, clean)
    if missing := [field for field in changed if not _answered(answers.get(field))]:
        raise SourceNeeded(missing)
    new = [answers[field] for field in changed if answers[field].choice == NEW]
    if new:
        for answer in new:
            if session.get(SourceDocument, answer.document) is None:
                raise content.ContentError("kilde: velg et dokument som finnes")
        settings = services.settings_of(service)
        by_place: dict[tuple[str, str, str], list[str]] = {}
        for field in changed:
            answer = answers[field]
            if answer.choice == NEW:
                place = (answer.document, " ".join(answer.section.split()), " ".join(answer.law.split()))
                by_place.setdefault(place, []).append(field)
        settings["sources"] += [{"document": document, "section": section, "fields": fields_, "law": law or None}
                                for (document, section, law), fields_ in by_place.items()]
        try:
            services.save_settings(session, key, settings, author, reason)
        except services.ServiceError as error:
            raise content.ContentError(str(error)) from None
    return content.save(session, key, language, clean, status, author, reason)


def answers_from_form(form: Any, fields: list[str] | tuple[str, ...]) -> dict[str, SourceAnswer]:
    """The editor's source answers from the edit form (``source_choice_<field>`` and its inputs)."""
    answers = {}
    for field in fields:
        choice = str(form.get(f"source_choice_{field}", ""))
        if choice in (KEPT, NEW):
            answers[field] = SourceAnswer(choice, str(form.get(f"source_document_{field}", "")),
                                          str(form.get(f"source_section_{field}", ""))[:300],
                                          str(form.get(f"source_law_{field}", ""))[:300])
    return answers
