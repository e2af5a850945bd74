"""Editing contact points: phone, e-mail, addresses, phone hours and the name and role per
language. The record is kept in the seed format (contacts.yml), so it validates with the seed's
rules, exports as it is, and each version is a whole snapshot that can be restored.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.languages import ANSWER_LANGUAGES, language_order
from knowledge.models import ContactPoint, SourceDocument
from knowledge.seed import CONTACT_TEXT_FIELDS, EMAIL, PHONE, WEEKDAYS, SeedError, validate_contact, write_contact
from knowledge.staff import records

EDITABLE = ("phone", "email", "digital_channel", "postal_address", "visiting_address", "by_appointment_only")
DIFF_FIELDS = (*EDITABLE, *(f"hours.{day}" for day in WEEKDAYS), "source",
               *(f"{language}.{field}" for language in ANSWER_LANGUAGES for field in ("status", *CONTACT_TEXT_FIELDS)))
FIELD_NAMES = {"phone": "telefon", "email": "e-post", "digital_channel": "digital kanal", "postal_address": "postadresse",
               "visiting_address": "besøksadresse", "by_appointment_only": "bare etter avtale", "name": "navn", "role": "rolle"}
INTERVAL = re.compile(r"^(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})$")


class ContactError(records.RecordError):
    """A contact edit that cannot be saved; the message says why (Norwegian, for staff)."""


def snapshot(contact: ContactPoint) -> dict[str, Any]:
    """The contact point as a seed entry (contacts.yml format)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for hours in sorted(contact.hours, key=lambda h: (h.opens, h.weekday)):
        grouped.setdefault((hours.opens, hours.closes), []).append(WEEKDAYS[hours.weekday])
    return {
        "key": contact.key,
        **{name: getattr(contact, name) for name in EDITABLE},
        "phone_hours": [{"days": days, "opens": opens, "closes": closes} for (opens, closes), days in grouped.items()],
        "source": {"document": contact.source_document_id, "section": contact.source_section},
        "content": {row.language: {"status": row.translation_status.value, "name": row.name, "role": row.role}
                    for row in sorted(contact.content, key=lambda r: language_order(r.language))},
    }


def hours_by_day(entry: dict[str, Any]) -> dict[str, str]:
    """Phone hours per weekday as staff type them: ``"09:30–11:00, 12:00–13:30"`` ('' = closed)."""
    per_day: dict[str, list[tuple[str, str]]] = {day: [] for day in WEEKDAYS}
    for interval in entry.get("phone_hours") or []:
        for day in interval["days"]:
            per_day[day].append((interval["opens"], interval["closes"]))
    return {day: ", ".join(f"{opens}–{closes}" for opens, closes in sorted(spans)) for day, spans in per_day.items()}


def hours_from_text(per_day: dict[str, str], day_names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Parse the per-day text back into seed intervals; overlapping intervals are refused."""
    spans: dict[tuple[str, str], list[str]] = {}
    for day in WEEKDAYS:
        text = (per_day.get(day) or "").strip()
        if not text or text.lower() in ("stengt", "-", "–"):
            continue
        intervals = []
        for part in text.split(","):
            match = INTERVAL.match(part.strip())
            label = (day_names or {}).get(day, day)
            if not match:
                raise ContactError(f"{label}: skriv tidene som 09:30–11:00, flere skilt med komma (ikke «{part.strip()}»)")
            h1, m1, h2, m2 = (int(group) for group in match.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
                raise ContactError(f"{label}: «{part.strip()}» er ikke et klokkeslett")
            opens, closes = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
            if opens >= closes:
                raise ContactError(f"{label}: {opens} er ikke før {closes}")
            intervals.append((opens, closes))
        intervals.sort()
        for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
            if start < end:
                raise ContactError(f"{(day_names or {}).get(day, day)}: tidene overlapper")
        for span in intervals:
            spans.setdefault(span, []).append(day)
    return [{"days": days, "opens": opens, "closes": closes} for (opens, closes), days in sorted(spans.items())]


def flat(entry: dict[str, Any]) -> dict[str, Any]:
    """One value per diff field, so a diff names exactly what changed."""
    values: dict[str, Any] = {name: entry.get(name) for name in EDITABLE}
    values.update({f"hours.{day}": text for day, text in hours_by_day(entry).items()})
    values["source"] = f"{entry['source']['document']}, {entry['source']['section']}"
    for language, texts in (entry.get("content") or {}).items():
        for field in ("status", *CONTACT_TEXT_FIELDS):
            values[f"{language}.{field}"] = texts.get(field)
    return values


def get(session: Session, key: str) -> dict[str, Any]:
    contact = session.get(ContactPoint, key)
    if contact is None:
        raise ContactError(f"ukjent kontaktpunkt: {key}")
    return snapshot(contact)


def translation_status(session: Session) -> list[tuple[str, str, str, str]]:
    """Contact texts needing a translator: (key, Norwegian name, language, missing | machine_drafted)."""
    found = []
    for entry in all_contacts(session):
        for language in ANSWER_LANGUAGES[1:]:  # the translations of the Norwegian
            texts = entry["content"].get(language)
            status = "missing" if texts is None else texts["status"]
            if status in ("missing", "machine_drafted"):
                found.append((entry["key"], entry["content"]["nb"]["name"], language, status))
    return found


def all_contacts(session: Session) -> list[dict[str, Any]]:
    return [snapshot(contact) for contact in session.execute(select(ContactPoint).order_by(ContactPoint.key)).scalars()]


def save(session: Session, key: str, entry: dict[str, Any], author: str, reason: str) -> records.RecordVersion:
    """Validate with the seed's rules, publish (the chat reads it on the next answer) and record a version."""
    before, seeded = get(session, key), session.get(ContactPoint, key).updated_at
    entry = {**entry, "key": key}
    for name in ("phone", "email", "digital_channel", "postal_address", "visiting_address"):
        value = entry.get(name)
        entry[name] = " ".join(str(value).split()) or None if value is not None else None
    if entry["phone"] and not PHONE.match(entry["phone"]):
        raise ContactError("telefon: 8–20 sifre; mellomrom og + foran er lov")
    if entry["email"] and (len(entry["email"]) > 200 or not EMAIL.match(entry["email"])):
        raise ContactError("e-post: skriv en gyldig e-postadresse, for eksempel navn@kommune.no")
    for name, limit in (("digital_channel", 100), ("postal_address", 500), ("visiting_address", 500)):
        if entry[name] and len(entry[name]) > limit:
            raise ContactError(f"{FIELD_NAMES[name]}: høyst {limit} tegn")
    if entry.get("phone_hours") and not entry["phone"]:
        raise ContactError("telefontider: oppgi et telefonnummer, eller fjern telefontidene")
    for language, texts in (entry.get("content") or {}).items():
        for field in CONTACT_TEXT_FIELDS:
            if not str(texts.get(field) or "").strip():
                raise ContactError(f"{FIELD_NAMES[field]} ({language}): feltet kan ikke være tomt")
            if len(str(texts[field])) > (200 if field == "name" else 2000):
                raise ContactError(f"{FIELD_NAMES[field]} ({language}): for lang tekst")
    documents = set(session.execute(select(SourceDocument.id)).scalars())
    try:
        validate_contact(f"kontaktpunkt {key}", entry, documents, all_languages=False)
        reason = records.clean_reason(reason)
    except (SeedError, records.RecordError) as error:
        raise ContactError(str(error)) from None
    contact = write_contact(session, entry)
    session.flush()
    session.refresh(contact)
    return records.record(session, "contact", key, snapshot(contact), author, reason, baseline=before, baseline_at=seeded)


def history(session: Session, key: str) -> list[records.RecordVersion]:
    get(session, key)
    return records.history(session, "contact", key)


def restore(session: Session, version_id: int, author: str, reason: str, key: str | None = None) -> records.RecordVersion:
    """Save version ``version_id`` (of the record ``key``, when given) again as the newest."""
    old = records.to_restore(session, version_id, "contact", ContactError, key)
    return save(session, old.key, old.data, author, records.restored_reason(records.number_of(session, old), reason))
