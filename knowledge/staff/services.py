"""Creating services and editing their settings (contact point, place in lists, shown or hidden,
sources). Texts are edited per language in :mod:`knowledge.staff.content`.

A new service is live at once: the chat lists it, shows its card and offers it in the
application form. The NLU model learns to recognise its name the next time it is trained; until
then families reach it from the list of services.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import SOURCED_FIELDS, ContactPoint, Service, SourceDocument
from knowledge.seed import SERVICE_KEY, SeedError, validate_service_settings, write_service
from knowledge.staff import content, records

SETTINGS = ("kind", "order", "contact", "apply", "decided_by", "active", "sources")
MAX_SOURCES = 10
#: The texts a source can support, as editors see them (Norwegian).
FIELD_NAMES = {field: content.FIELD_LABELS[field].lower() for field in SOURCED_FIELDS}
#: The routes as editors see them (Norwegian).
APPLY_NAMES = {"ke_application": "søknad gjennom Veiviser til koordinerende enhet",
               "contact": "direkte til kontaktpunktet", "none": "ingen søknad"}


class ServiceError(records.RecordError):
    """A service edit that cannot be saved; the message says why (Norwegian, for staff)."""


def title_nb(service: Service) -> str:
    """The service's Norwegian title, what staff know it by (its key until it has one)."""
    return next((row.title for row in service.content if row.language == "nb"), service.key)


def settings_of(service: Service) -> dict[str, Any]:
    return {"key": service.key, "kind": service.kind, "order": service.sort_order, "contact": service.contact_key,
            "apply": service.apply_route, "decided_by": service.decided_by_key, "active": service.active,
            "sources": [{"document": s.document_id, "section": s.section, "fields": list(s.fields) if s.fields else None,
                         "law": s.law} for s in service.sources]}


def flat(data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "veiviser til andre" if data.get("kind") == "signpost" else "tjeneste", "order": data["order"], "contact": data["contact"], "apply": APPLY_NAMES.get(data.get("apply", "ke_application"), ""),
            "decided_by": data.get("decided_by") or "(kildene sier ikke)", "active": "ja" if data["active"] else "nei",
            "sources": [_source_line(s) for s in data["sources"]]}


def _source_line(source: dict[str, Any]) -> str:
    """One source as one history line: document, section [fields] § law."""
    line = f"{source['document']}, {source['section']}"
    if source.get("fields"):
        line += " [" + ", ".join(FIELD_NAMES.get(f, f) for f in source["fields"]) + "]"
    return line + (f" – {source['law']}" if source.get("law") else "")


def _validate(session: Session, key: str, data: dict[str, Any], reason: str) -> tuple[dict[str, Any], str]:
    existing = session.get(Service, key)
    kind = existing.kind if existing is not None else (data.get("kind") or "service")  # a record's kind never changes
    data = {"key": key, "kind": kind, "order": data.get("order"), "contact": data.get("contact") or None,
            "apply": data.get("apply") or "ke_application", "decided_by": data.get("decided_by") or None,
            "active": data.get("active", True),
            "sources": [s for s in data.get("sources") or [] if (s.get("document") or s.get("section"))]}
    if not isinstance(data["order"], int) or not 0 <= data["order"] <= 10000:
        raise ServiceError("rekkefølge: skriv et helt tall mellom 0 og 10000")
    if len(data["sources"]) > MAX_SOURCES:
        raise ServiceError(f"kilder: høyst {MAX_SOURCES}")
    for source in data["sources"]:
        source["section"] = " ".join(str(source.get("section") or "").split())
        if not source["section"] or len(source["section"]) > 300:
            raise ServiceError("kilder: hver kilde trenger et avsnitt (høyst 300 tegn)")
        source["fields"] = [f for f in FIELD_NAMES if f in (source.get("fields") or [])] or None
        source["law"] = " ".join(str(source.get("law") or "").split())[:300] or None
    documents = set(session.execute(select(SourceDocument.id)).scalars())
    contacts = set(session.execute(select(ContactPoint.key)).scalars())
    try:
        validate_service_settings(f"tjeneste {key}", data, documents, contacts)
        reason = records.clean_reason(reason)
    except SeedError as error:
        message = str(error)
        if "no source for the field" in message:
            missing = [FIELD_NAMES[f] for f in FIELD_NAMES if f in message.split("field(s)", 1)[1]]
            message = "kilder: hver tekst trenger minst én kilde; mangler for " + ", ".join(missing)
        elif "unknown decided_by contact" in message:
            message = "avgjøres av: velg et kontaktpunkt som finnes, eller «kildene sier ikke»"
        elif "unknown contact" in message:
            message = "kontaktpunkt: velg et kontaktpunkt som finnes"
        elif "'apply'" in message:
            message = "søknadsvei: velg en av de tre"
        elif "source" in message:
            message = "kilder: minst én kilde, med et dokument som finnes"
        raise ServiceError(message) from None
    except records.RecordError as error:
        raise ServiceError(str(error)) from None
    return data, reason


def save_settings(session: Session, key: str, data: dict[str, Any], author: str, reason: str) -> records.RecordVersion:
    service = session.get(Service, key)
    if service is None:
        raise ServiceError(f"ukjent tjeneste: {key}")
    before, seeded = settings_of(service), service.updated_at
    data, reason = _validate(session, key, data, reason)
    write_service(session, data, texts=False)
    session.flush()
    session.refresh(service)
    return records.record(session, "service", key, settings_of(service), author, reason, baseline=before, baseline_at=seeded)


def create(session: Session, key: str, data: dict[str, Any], texts: dict[str, str], author: str, reason: str) -> Service:
    """A new service with its Norwegian texts; translations show as missing until they are written."""
    key = (key or "").strip()
    if not SERVICE_KEY.match(key):
        raise ServiceError("nøkkel: små bokstaver a–z, tall og _ (for eksempel «sommerleir»), 2–63 tegn")
    if session.get(Service, key) is not None:
        raise ServiceError(f"nøkkel: tjenesten «{key}» finnes allerede")
    data, reason = _validate(session, key, data, reason)
    clean = content.validate("nb", texts, "source", data["kind"])
    write_service(session, {**data, "content": {}}, texts=False)
    session.flush()
    content.save(session, key, "nb", clean, "source", author, reason)
    records.record(session, "service", key, settings_of(session.get(Service, key)), author, reason)
    return session.get(Service, key)


def history(session: Session, key: str) -> list[records.RecordVersion]:
    if session.get(Service, key) is None:
        raise ServiceError(f"ukjent tjeneste: {key}")
    return records.history(session, "service", key)


def restore(session: Session, version_id: int, author: str, reason: str, key: str | None = None) -> records.RecordVersion:
    """Save version ``version_id`` (of the record ``key``, when given) again as the newest."""
    old = records.to_restore(session, version_id, "service", ServiceError, key)
    return save_settings(session, old.key, old.data, author, records.restored_reason(records.number_of(session, old), reason))
