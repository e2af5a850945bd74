"""Export and import of the whole knowledge base as one YAML file, for bulk editing and review.

The file holds the seed content's format: ``sources`` (sources.yml), ``contacts`` (contacts.yml),
``services`` (services/*.yml, plus ``active``) and ``parameters`` (the eligibility parameters.yml).
An import is checked as a whole first, so a mistake anywhere changes nothing; then every record
that differs is saved through the same functions as the edit pages, so each change is a version
with who, when and why, and can be restored. Records missing from the file are left as they are.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.eligibility.parameters import seed_parameters, values_to_data
from knowledge.languages import language_order
from knowledge.models import SERVICE_TEXT_FIELDS, ContactPoint, Service, ServiceContent, SourceDocument
from knowledge.seed import (
    SERVICE_KEY,
    SeedError,
    validate_contact,
    validate_service,
    write_contact,
)
from knowledge.staff import contacts, content, parameters, records, services

FORMAT = "veiviser-knowledge-base"
TOP_LEVEL = {"format", "version", "exported_at", "sources", "contacts", "services", "parameters"}
MAX_BYTES = 2 * 1024 * 1024


class ImportError_(records.RecordError):
    """The file cannot be imported; the message names the entry and the problem."""


def export_document(session: Session) -> dict[str, Any]:
    sources = [{"id": d.id, "title": d.title, "publisher": d.publisher, "published": d.published,
                **({"seed_file": d.seed_file} if d.seed_file else {})}
               for d in session.execute(select(SourceDocument).order_by(SourceDocument.id)).scalars()]
    service_entries = []
    for service in session.execute(select(Service).order_by(Service.sort_order, Service.key)).scalars():
        entry = services.settings_of(service)
        entry["content"] = {row.language: {"status": row.translation_status.value,
                                           **{field: getattr(row, field) for field in SERVICE_TEXT_FIELDS}}
                            for row in sorted(service.content, key=lambda r: language_order(r.language))}
        service_entries.append(entry)
    params = {}
    for parameter in parameters.all_current(session):
        source = {"document": parameter.source.document, "section": parameter.source.section,
                  **({"law": parameter.source.law} if parameter.source.law else {})}
        params[parameter.name] = {"title_nb": parameter.title_nb, "unit": parameter.unit, "description": parameter.description, "source": source,
                                  "values": values_to_data(parameter.values)}
    return {"format": FORMAT, "version": 1, "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sources": sources, "contacts": contacts.all_contacts(session), "services": service_entries, "parameters": params}


def export_yaml(session: Session) -> str:
    header = ("# Veiviser – hele kunnskapsbasen (samme format som seed-filene). Rediger og importer på /staff/export.\n"
              "# Tjenester eller kontaktpunkter som fjernes fra filen, blir ikke slettet ved import.\n")
    return header + yaml.safe_dump(export_document(session), allow_unicode=True, sort_keys=False, width=110)


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {key: _norm(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_norm(item) for item in value]
    return value


def parse(text: str | bytes) -> dict[str, Any]:
    if len(text) > MAX_BYTES:
        raise ImportError_(f"filen er for stor (høyst {MAX_BYTES // 1024 // 1024} MB)")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (linje {mark.line + 1})" if mark else ""
        raise ImportError_(f"filen er ikke gyldig YAML{where}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportError_(f"dette er ikke en eksport fra Veiviser (mangler «format: {FORMAT}»)")
    unknown = set(data) - TOP_LEVEL
    if unknown:
        raise ImportError_(f"ukjente nøkler øverst i filen: {', '.join(sorted(unknown))}")
    for name in ("sources", "contacts", "services"):
        if not isinstance(data.get(name) or [], list):
            raise ImportError_(f"«{name}» må være en liste")
    if not isinstance(data.get("parameters") or {}, dict):
        raise ImportError_("«parameters» må være en oversikt (navn: …)")
    return data


def _check(session: Session, data: dict[str, Any]) -> None:
    """Validate the whole file against the seed rules before anything is written."""
    existing_sources = {d.id: d for d in session.execute(select(SourceDocument)).scalars()}
    document_ids = set(existing_sources)
    for entry in data.get("sources") or []:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(n), (str, int)) and str(entry.get(n)).strip()
                                                  for n in ("id", "title", "publisher", "published")):
            raise ImportError_("kilder: hver kilde trenger id, title, publisher og published")
        known = existing_sources.get(entry["id"])
        if known and (known.title, known.publisher, str(known.published)) != (entry["title"], entry["publisher"], str(entry["published"])):
            raise ImportError_(f"kilde {entry['id']}: et kildedokument kan ikke endres ved import (bare nye kan legges til)")
        document_ids.add(entry["id"])
    contact_keys = set(session.execute(select(ContactPoint.key)).scalars())
    try:
        for entry in data.get("contacts") or []:
            validate_contact(f"kontaktpunkt {entry.get('key', '?') if isinstance(entry, dict) else '?'}", entry, document_ids,
                             all_languages=False)
            contact_keys.add(entry["key"])
        for entry in data.get("services") or []:
            key = entry.get("key") if isinstance(entry, dict) else None
            if not isinstance(key, str) or not SERVICE_KEY.match(key):
                raise ImportError_(f"tjeneste {key!r}: nøkkelen må være små bokstaver a–z, tall og _")
            validate_service(f"tjeneste {key}", entry, document_ids, contact_keys, all_languages=False)
    except SeedError as error:
        raise ImportError_(str(error)) from None
    for name, entry in (data.get("parameters") or {}).items():
        if name not in seed_parameters():
            raise ImportError_(f"parameter {name}: ukjent (nye parametere krever en ny regel i koden)")
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            raise ImportError_(f"parameter {name}: «values» må være en liste med valid_from og value")
        parameters.validate(name, _parameter_rows(name, entry["values"]))


def _parameter_rows(name: str, values: list[Any]) -> list[tuple[str, str]]:
    rows = []
    for value in values:
        if not isinstance(value, dict):
            raise ImportError_(f"parameter {name}: hver verdi trenger valid_from og value")
        rows.append((str(value.get("valid_from", "")), str(value.get("value", ""))))
    return rows


def import_document(session: Session, data: dict[str, Any], author: str, reason: str) -> list[str]:
    """Save every record that differs from the knowledge base; returns what changed, one line each.

    The caller commits (or rolls back, for a trial run that only shows what would change)."""
    reason = records.clean_reason(reason)
    _check(session, data)
    changes: list[str] = []
    for entry in data.get("sources") or []:
        if session.get(SourceDocument, entry["id"]) is None:
            session.add(SourceDocument(id=entry["id"], title=entry["title"], publisher=entry["publisher"],
                                       published=str(entry["published"]), seed_file=entry.get("seed_file")))
            changes.append(f"ny kilde: {entry['id']}")
    session.flush()
    for entry in data.get("contacts") or []:
        key = entry["key"]
        if session.get(ContactPoint, key) is None:
            write_contact(session, entry)
            session.flush()
            records.record(session, "contact", key, contacts.get(session, key), author, reason)
            changes.append(f"nytt kontaktpunkt: {key}")
        elif _norm(contacts.flat(contacts.get(session, key))) != _norm(contacts.flat({**entry, "key": key})):
            contacts.save(session, key, entry, author, reason)
            changes.append(f"kontaktpunkt endret: {key}")
    for entry in data.get("services") or []:
        changes += _import_service(session, entry, author, reason)
    for name, entry in (data.get("parameters") or {}).items():
        rows = _parameter_rows(name, entry["values"])
        if parameters.validate(name, rows) != values_to_data(parameters.current(session, name).values):
            parameters.save(session, name, rows, author, reason)
            changes.append(f"parameter endret: {name}")
    return changes


def _import_service(session: Session, entry: dict[str, Any], author: str, reason: str) -> list[str]:
    key, changes = entry["key"], []
    settings = {name: entry.get(name, True if name == "active" else None) for name in services.SETTINGS}
    texts = entry.get("content") or {}
    service = session.get(Service, key)
    if service is None:
        nb = texts["nb"]
        services.create(session, key, settings, {f: nb.get(f, "") for f in SERVICE_TEXT_FIELDS}, author, reason)
        changes.append(f"ny tjeneste: {key}")
    elif services.flat(services.settings_of(service)) != _norm(services.flat({**settings, "key": key})):
        services.save_settings(session, key, settings, author, reason)
        changes.append(f"tjeneste endret: {key} (innstillinger)")
    for language, values in sorted(texts.items(), key=lambda item: language_order(item[0])):
        fields = {f: values.get(f, "") for f in SERVICE_TEXT_FIELDS}
        clean = content.validate(language, fields, values.get("status"), session.get(Service, key).kind)
        row = session.execute(select(ServiceContent).filter_by(service_key=key, language=language)).scalar_one_or_none()
        current = ({f: getattr(row, f) for f in SERVICE_TEXT_FIELDS}, row.translation_status.value) if row else None
        if current != (clean, values.get("status")):
            content.save(session, key, language, fields, values.get("status"), author, reason)
            changes.append(f"tekst endret: {key} ({language})")
    return changes
