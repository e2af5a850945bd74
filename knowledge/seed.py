"""Load the seed content (readable YAML under knowledge/content) into the database.

Loading is idempotent (rows are upserted by key and language) and validated first: a missing
language, an unknown service key or source, or an empty field is a :class:`SeedError` naming the
file and the entry, and nothing is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import (
    APPLY_ROUTES,
    KINDS,
    SERVICE_TEXT_FIELDS,
    ContactContent,
    ContactPoint,
    PhoneHours,
    Service,
    ServiceContent,
    ServiceSource,
    SourceDocument,
    TranslationStatus,
    sourced_fields,
    text_fields,
)
from knowledge.revision import mark_seeded
from knowledge.service_keys import SERVICE_KEYS

CONTENT_DIR = Path(__file__).resolve().parent / "content"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STATUSES = {status.value for status in TranslationStatus}
CONTACT_TEXT_FIELDS = ("name", "role")


class SeedError(ValueError):
    """Invalid seed content; the message names the file and the entry."""


@dataclass
class SeedContent:
    """Validated seed content, ready to be written."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    #: What other bodies handle (kind "signpost"), written like services.
    signposts: list[dict[str, Any]] = field(default_factory=list)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise SeedError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from exc


def _require_text(where: str, mapping: dict[str, Any], name: str) -> str:
    value = mapping.get(name)
    if not isinstance(value, str) or not value.strip():
        raise SeedError(f"{where}: '{name}' is missing or empty")
    return value.strip()


def _validate_language_block(where: str, content: Any, fields: tuple[str, ...], all_languages: bool = True) -> None:
    """Texts per language; the seed files must have all four, an import at least the Norwegian."""
    if not isinstance(content, dict):
        raise SeedError(f"{where}: 'content' must map languages to texts")
    for language in ANSWER_LANGUAGES if all_languages else ("nb",):
        if language not in content:
            raise SeedError(f"{where}: language '{language}' is missing")
    for language, texts in content.items():
        if language not in ANSWER_LANGUAGES:
            raise SeedError(f"{where}: unknown language '{language}'")
        if not isinstance(texts, dict):
            raise SeedError(f"{where}: content for '{language}' must be a mapping")
        status = texts.get("status")
        if status not in STATUSES:
            raise SeedError(f"{where}: '{language}' has status {status!r}; use one of {sorted(STATUSES)}")
        if status == "source" and language != "nb":
            raise SeedError(f"{where}: only nb can have status 'source', not '{language}'")
        for name in fields:
            _require_text(f"{where} [{language}]", texts, name)


PHONE = re.compile(r"^\+?[0-9 ]{8,20}$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[a-z]{2,}$", re.IGNORECASE)
SERVICE_KEY = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


def _validate_hours(where: str, hours: Any) -> None:
    if not isinstance(hours, list):
        raise SeedError(f"{where}: phone_hours must be a list")
    for interval in hours:
        if not isinstance(interval, dict):
            raise SeedError(f"{where}: each phone_hours entry needs days, opens and closes")
        days = interval.get("days") or []
        if not isinstance(days, list) or not days or any(day not in WEEKDAYS for day in days):
            raise SeedError(f"{where}: phone_hours days must be among {WEEKDAYS}")
        for name in ("opens", "closes"):
            value = str(interval.get(name, ""))
            if len(value) != 5 or value[2] != ":" or not (value[:2] + value[3:]).isdigit() or value[:2] > "23" or value[3:] > "59":
                raise SeedError(f"{where}: phone_hours '{name}' must be HH:MM, not {value!r}")
        if interval["opens"] >= interval["closes"]:
            raise SeedError(f"{where}: phone_hours opens after it closes")


def validate_contact(where: str, entry: Any, document_ids: set[str], all_languages: bool = True) -> None:
    """One contact point in the seed format (see contacts.yml)."""
    if not isinstance(entry, dict):
        raise SeedError(f"{where}: a contact must be a mapping")
    key = _require_text(where, entry, "key")
    if not SERVICE_KEY.match(key):
        raise SeedError(f"{where}: key must be lower-case letters, digits and _")
    source = entry.get("source") or {}
    if not isinstance(source, dict) or source.get("document") not in document_ids:
        raise SeedError(f"{where}: unknown source document {source.get('document') if isinstance(source, dict) else source!r}")
    _require_text(where, source, "section")
    phone, email = entry.get("phone"), entry.get("email")
    if phone is not None and not PHONE.match(str(phone)):
        raise SeedError(f"{where}: phone {phone!r} is not a phone number (8–20 digits, spaces and a leading + allowed)")
    if email is not None and (len(str(email)) > 200 or not EMAIL.match(str(email))):
        raise SeedError(f"{where}: email {email!r} is not an e-mail address")
    for name in ("digital_channel", "postal_address", "visiting_address"):
        value = entry.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > (100 if name == "digital_channel" else 500)):
            raise SeedError(f"{where}: '{name}' must be a short text or empty")
    if not isinstance(entry.get("by_appointment_only", False), bool):
        raise SeedError(f"{where}: 'by_appointment_only' must be true or false")
    _validate_hours(where, entry.get("phone_hours") or [])
    if entry.get("phone_hours") and not phone:
        raise SeedError(f"{where}: phone hours given without a phone number")
    _validate_language_block(where, entry.get("content"), CONTACT_TEXT_FIELDS, all_languages)


def validate_service_settings(where: str, entry: Any, document_ids: set[str], contact_keys: set[str]) -> None:
    """A service's settings: its contact point, place in lists and sources (not its texts)."""
    if not isinstance(entry, dict):
        raise SeedError(f"{where}: a service must be a mapping")
    kind = entry.get("kind", "service")
    if kind not in KINDS:
        raise SeedError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    if entry.get("contact") not in contact_keys and not (kind == "signpost" and entry.get("contact") is None):
        raise SeedError(f"{where}: unknown contact {entry.get('contact')!r}")
    if entry.get("apply", "ke_application") not in APPLY_ROUTES:
        raise SeedError(f"{where}: 'apply' must be one of {', '.join(APPLY_ROUTES)}")
    if entry.get("decided_by") is not None and entry.get("decided_by") not in contact_keys:
        raise SeedError(f"{where}: unknown decided_by contact {entry.get('decided_by')!r}")
    if not isinstance(entry.get("order"), int) or isinstance(entry.get("order"), bool):
        raise SeedError(f"{where}: 'order' must be a number")
    if not isinstance(entry.get("active", True), bool):
        raise SeedError(f"{where}: 'active' must be true or false")
    sources = entry.get("sources") or []
    if not isinstance(sources, list) or not sources:
        raise SeedError(f"{where}: at least one source is required")
    sourced = sourced_fields(kind)
    covered: set[str] = set()
    for source in sources:
        if not isinstance(source, dict) or source.get("document") not in document_ids:
            raise SeedError(f"{where}: unknown source document {source.get('document') if isinstance(source, dict) else source!r}")
        _require_text(where, source, "section")
        fields = source.get("fields")
        if fields is not None and (not isinstance(fields, list) or not fields or not set(fields) <= set(sourced)):
            raise SeedError(f"{where}: a source's 'fields' must list some of {', '.join(sourced)}")
        if source.get("law") is not None and (not isinstance(source["law"], str) or not source["law"].strip()):
            raise SeedError(f"{where}: a source's 'law' must be text")
        covered |= set(sourced if fields is None else fields)
    if uncovered := [name for name in sourced if name not in covered]:
        raise SeedError(f"{where}: no source for the field(s) {', '.join(uncovered)}")


def validate_service(where: str, entry: Any, document_ids: set[str], contact_keys: set[str], all_languages: bool = True) -> None:
    """One service in the seed format (see services/*.yml); the key itself is checked by the caller."""
    validate_service_settings(where, entry, document_ids, contact_keys)
    _validate_language_block(where, entry.get("content"), text_fields(entry.get("kind")), all_languages)


def read_seed(content_dir: Path = CONTENT_DIR) -> SeedContent:
    """Read and validate all seed files; raises SeedError on the first problem."""
    seed = SeedContent()
    sources_path = content_dir / "sources.yml"
    raw_sources = (_read_yaml(sources_path) or {}).get("sources") or []
    for entry in raw_sources:
        where = f"{sources_path}: source {entry.get('id', '?')!r}"
        for name in ("id", "title", "publisher", "published"):
            _require_text(where, entry, name)
        seed.sources.append(entry)
    document_ids = {entry["id"] for entry in seed.sources}

    contacts_path = content_dir / "contacts.yml"
    for entry in (_read_yaml(contacts_path) or {}).get("contacts") or []:
        validate_contact(f"{contacts_path}: contact {entry.get('key', '?')!r}", entry, document_ids)
        seed.contacts.append(entry)
    contact_keys = {entry["key"] for entry in seed.contacts}

    seen: set[str] = set()
    for path in sorted((content_dir / "services").glob("*.yml")):
        entry = _read_yaml(path) or {}
        key = entry.get("key")
        where = f"{path}: service {key!r}"
        if key not in SERVICE_KEYS:
            raise SeedError(f"{where}: unknown service key; known keys are {', '.join(SERVICE_KEYS)}")
        if key in seen:
            raise SeedError(f"{where}: service defined twice")
        if path.stem != key:
            raise SeedError(f"{where}: file must be named {key}.yml")
        seen.add(key)
        validate_service(where, entry, document_ids, contact_keys)
        seed.services.append(entry)
    missing = [key for key in SERVICE_KEYS if key not in seen]
    if missing:
        raise SeedError(f"{content_dir / 'services'}: no content for service(s) {', '.join(missing)}")
    for path in sorted((content_dir / "signposts").glob("*.yml")):
        entry = _read_yaml(path) or {}
        key = entry.get("key")
        where = f"{path}: signpost {key!r}"
        if not isinstance(key, str) or not SERVICE_KEY.match(key) or key in seen:
            raise SeedError(f"{where}: a signpost needs its own key (a–z, 0–9, _), not a service's")
        if path.stem != key or entry.get("kind") != "signpost":
            raise SeedError(f"{where}: file must be named {key}.yml and say 'kind: signpost'")
        seen.add(key)
        validate_service(where, entry, document_ids, contact_keys)
        seed.signposts.append(entry)
    return seed


def _clean(text: Any) -> str | None:
    return " ".join(str(text).split()) if text is not None else None


def write_source(session: Session, entry: dict[str, Any]) -> SourceDocument:
    """Upsert one validated source document."""
    document = session.get(SourceDocument, entry["id"]) or SourceDocument(id=entry["id"])
    document.title, document.publisher = entry["title"], entry["publisher"]
    document.published, document.seed_file = str(entry["published"]), entry.get("seed_file")
    session.add(document)
    return document


def write_contact(session: Session, entry: dict[str, Any]) -> ContactPoint:
    """Upsert one validated contact point with its phone hours and texts."""
    contact = session.get(ContactPoint, entry["key"]) or ContactPoint(key=entry["key"])
    contact.phone = _clean(entry.get("phone"))
    contact.email = _clean(entry.get("email"))
    contact.digital_channel = _clean(entry.get("digital_channel"))
    contact.postal_address = _clean(entry.get("postal_address"))
    contact.visiting_address = _clean(entry.get("visiting_address"))
    contact.by_appointment_only = bool(entry.get("by_appointment_only"))
    contact.source_document_id = entry["source"]["document"]
    contact.source_section = entry["source"]["section"]
    contact.hours = [
        PhoneHours(weekday=WEEKDAYS.index(day), opens=interval["opens"], closes=interval["closes"])
        for interval in entry.get("phone_hours") or []
        for day in interval["days"]
    ]
    existing = {row.language: row for row in contact.content}
    for language, texts in entry["content"].items():
        row = existing.get(language) or ContactContent(language=language)
        row.name, row.role = _clean(texts["name"]), _clean(texts["role"])
        row.translation_status = TranslationStatus(texts["status"])
        if language not in existing:
            contact.content.append(row)
    session.add(contact)
    return contact


def write_service(session: Session, entry: dict[str, Any], texts: bool = True) -> Service:
    """Upsert one validated service: its settings and sources, and (``texts``) its content per language."""
    service = session.get(Service, entry["key"]) or Service(key=entry["key"])
    service.sort_order = entry["order"]
    service.kind = entry.get("kind", "service")
    service.contact_key = entry.get("contact")
    service.apply_route = entry.get("apply", "ke_application")
    service.decided_by_key = entry.get("decided_by")
    service.active = bool(entry.get("active", True))
    service.sources = [
        ServiceSource(document_id=source["document"], section=" ".join(source["section"].split()), position=index,
                      fields=list(source["fields"]) if source.get("fields") else None,
                      law=" ".join(source["law"].split()) if source.get("law") else None)
        for index, source in enumerate(entry["sources"])
    ]
    if texts:
        existing = {row.language: row for row in service.content}
        for language, values in entry["content"].items():
            row = existing.get(language) or ServiceContent(language=language)
            for name in SERVICE_TEXT_FIELDS:  # a signpost has no who_for or cost: stored empty
                setattr(row, name, _clean(values.get(name)) or "")
            row.translation_status = TranslationStatus(values["status"])
            if language not in existing:
                service.content.append(row)
    session.add(service)
    return service


def write_seed(session: Session, seed: SeedContent) -> dict[str, int]:
    """Upsert validated content; returns counts of what the seed holds."""
    for entry in seed.sources:
        write_source(session, entry)
    session.flush()

    for entry in seed.contacts:
        write_contact(session, entry)
    session.flush()
    for entry in [*seed.services, *seed.signposts]:
        write_service(session, entry)
    mark_seeded(session)
    session.commit()
    return {
        "sources": len(seed.sources),
        "contacts": len(seed.contacts),
        "services": len(seed.services),
        "signposts": len(seed.signposts),
        "texts": sum(len(entry["content"]) for entry in seed.services),
    }


def add_missing(session: Session, seed: SeedContent) -> list[str]:
    """Add the seed's documents, contact points, services and signposts the database does not have
    yet (a new release brought them), leaving everything editors changed as it is."""
    added = []
    for entry in seed.sources:
        if session.get(SourceDocument, entry["id"]) is None:
            write_source(session, entry)
            added.append(f"source {entry['id']}")
    session.flush()
    for entry in seed.contacts:
        if session.get(ContactPoint, entry["key"]) is None:
            write_contact(session, entry)
            added.append(f"contact {entry['key']}")
    session.flush()
    for entry in [*seed.services, *seed.signposts]:
        service = session.get(Service, entry["key"])
        if service is None:
            write_service(session, entry)
            added.append(f"{entry.get('kind', 'service')} {entry['key']}")
        else:
            added += _add_new_fields(service, entry)
    session.commit()
    return added


def _add_new_fields(service: Service, entry: dict[str, Any]) -> list[str]:
    """A text a release added (empty in the database, so never edited) gets the seed's text, and
    the seed's sources for it when none of the service's sources covers it yet."""
    added = []
    rows = {row.language: row for row in service.content}
    for language, values in entry["content"].items():
        row = rows.get(language)
        for name in text_fields(entry.get("kind")):
            if row is not None and not getattr(row, name) and _clean(values.get(name)):
                setattr(row, name, _clean(values.get(name)))
                added.append(f"{service.key}.{language}.{name}")
    covered = {field for source in service.sources for field in (source.fields or sourced_fields(service.kind))}
    for source in entry["sources"]:  # every seed source of a text no source covered yet
        new = [field for field in (source.get("fields") or []) if field not in covered]
        if new:
            service.sources.append(ServiceSource(document_id=source["document"], section=" ".join(source["section"].split()),
                                                 position=len(service.sources), fields=new,
                                                 law=" ".join(source["law"].split()) if source.get("law") else None))
            added.append(f"{service.key} source {source['document']} for {', '.join(new)}")
    return added


def load_seed(session: Session, content_dir: Path = CONTENT_DIR) -> dict[str, int]:
    """Validate then write the seed content; nothing is written if validation fails."""
    return write_seed(session, read_seed(content_dir))


def is_seeded(session: Session) -> bool:
    return session.execute(select(Service.key).limit(1)).first() is not None
