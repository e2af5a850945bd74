"""Read-only views of the knowledge base for actions, the web app and tests.

They return plain dataclasses, so callers never hold ORM objects or sessions.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from knowledge import revision
from knowledge.languages import content_fallbacks
from knowledge.models import ContactPoint, Service, ServiceContent, ServiceSource

logger = logging.getLogger(__name__)


class UnknownService(LookupError):
    """The service key is not in the knowledge base (or not active)."""


class UnknownContact(LookupError):
    """The contact point is not in the knowledge base (e.g. the database was never seeded)."""


@dataclass(frozen=True)
class SourceRef:
    document: str
    title: str
    section: str
    #: The texts this source supports (None: all of them) and the law it cites, if any.
    fields: tuple[str, ...] | None = None
    law: str | None = None

    def supports(self, shown: tuple[str, ...]) -> bool:
        return self.fields is None or any(field in self.fields for field in shown)


@dataclass(frozen=True)
class ServiceView:
    key: str
    language: str
    title: str
    summary: str
    description: str
    who_for: str
    how_to_apply: str
    cost: str
    decided_by: str
    translation_status: str
    contact_key: str | None
    sources: tuple[SourceRef, ...]
    #: How families apply (``models.APPLY_ROUTES``) and who decides (a contact key; None: the sources do not say).
    apply_route: str = "ke_application"
    decided_by_key: str | None = None
    #: "service", or "signpost" for what another body handles (answered with a signpost card).
    kind: str = "service"
    #: What happens once the application is sent; how to appeal (empty for a signpost).
    after_applying: str = ""
    appeal: str = ""

    @property
    def is_signpost(self) -> bool:
        return self.kind == "signpost"

    def sources_of(self, shown: tuple[str, ...]) -> tuple[SourceRef, ...]:
        """The sources of the texts ``shown`` (all sources when none is marked for them)."""
        return tuple(source for source in self.sources if source.supports(shown)) or self.sources

    @property
    def applied_for_through_veiviser(self) -> bool:
        """Only these services are offered in Veiviser's application to the coordinating unit."""
        return self.apply_route == "ke_application"


@dataclass(frozen=True)
class OpeningInterval:
    weekday: int
    opens: str
    closes: str


@dataclass(frozen=True)
class ContactView:
    key: str
    language: str
    name: str
    role: str
    phone: str | None
    email: str | None
    digital_channel: str | None
    postal_address: str | None
    visiting_address: str | None
    by_appointment_only: bool
    hours: tuple[OpeningInterval, ...]
    translation_status: str
    source: SourceRef


def _pick(rows, language: str):
    by_language = {row.language: row for row in rows}
    for candidate in content_fallbacks(language):
        if candidate in by_language:
            return by_language[candidate]
    return None


def _service_query():
    return select(Service).where(Service.active.is_(True)).options(
        selectinload(Service.content), selectinload(Service.sources).selectinload(ServiceSource.document)
    )


def _to_view(service: Service, language: str) -> ServiceView | None:
    row = _pick(service.content, language)
    if row is None:
        return None
    return ServiceView(
        key=service.key,
        language=row.language,
        title=row.title,
        summary=row.summary,
        description=row.description,
        who_for=row.who_for,
        how_to_apply=row.how_to_apply,
        cost=row.cost,
        decided_by=row.decided_by,
        translation_status=row.translation_status.value,
        contact_key=service.contact_key,
        sources=tuple(SourceRef(s.document_id, s.document.title, s.section, tuple(s.fields) if s.fields else None, s.law)
                      for s in service.sources),
        apply_route=service.apply_route,
        decided_by_key=service.decided_by_key,
        kind=service.kind,
        after_applying=row.after_applying,
        appeal=row.appeal,
    )


#: ``session.info`` key: lookups are remembered when it is set (``remembering``).
ONE_TURN = "remember_lookups"
#: Per database, the revision the remembered lookups were made at, and the lookups.
_remembered: dict[str, tuple[int, dict]] = {}
#: More distinct lookups than this (a knowledge base far larger than any municipality's) are not kept.
MOST_REMEMBERED = 20_000


@contextmanager
def remembering(session: Session) -> Iterator[Session]:
    """Within the block, ``session``'s (one chat turn's) lookups come from memory while the
    knowledge base is unchanged: one small query reads the revision (``knowledge.revision``); the
    lookups were made a dozen times a turn and were half of the action server's time. The revision
    read is also the turn's answer to "did an editor publish new parameters?" (``revision.this_turn``)."""
    engine = session.get_bind()
    database = str(engine.url)
    seen = _remembered.get(database)
    try:
        now = revision.current_of(engine)
    except SQLAlchemyError as error:
        if seen is None:
            raise
        # The database is down: answer from the content as last read (the family still gets the
        # service's text and the phone), and let what must be written fail where it is written.
        logger.warning("knowledge base unreadable (%s): answering from the content last read", type(error).__name__)
        now = None
    else:
        if seen is None or seen[0] != now or len(seen[1]) > MOST_REMEMBERED:
            seen = _remembered[database] = (now, {})
    session.info[ONE_TURN] = seen[1]
    try:
        with revision.this_turn(engine, now):
            yield session
    finally:
        session.info.pop(ONE_TURN, None)


def once_per_turn(lookup):
    """A knowledge-base lookup made once for as long as the content is unchanged, in sessions marked
    by ``remembering`` (``knowledge.conversation``); a staff page that writes and reads in one session
    never is. What it returns is immutable (frozen dataclasses, tuples, frozensets): it is shared."""
    @wraps(lookup)
    def remembered(session: Session, *args, **kwargs):
        memo = session.info.get(ONE_TURN)
        if memo is None:
            return lookup(session, *args, **kwargs)
        key = (lookup.__name__, *args, *sorted(kwargs.items()))
        if key not in memo:
            memo[key] = lookup(session, *args, **kwargs)
        return memo[key]
    return remembered


@once_per_turn
def get_service(session: Session, key: str, language: str) -> ServiceView:
    """A service's content in ``language`` (nn falls back to nb)."""
    service = session.execute(_service_query().where(Service.key == key)).scalar_one_or_none()
    view = _to_view(service, language) if service else None
    if view is None:
        raise UnknownService(key)
    return view


@once_per_turn
def list_services(session: Session, language: str, kind: str = "service") -> tuple[ServiceView, ...]:
    """All active services (or signposts) in display order, in ``language`` where available."""
    services = session.execute(_service_query().where(Service.kind == kind).order_by(Service.sort_order, Service.key)).scalars()
    return tuple(view for service in services if (view := _to_view(service, language)))


def staff_titles(session: Session) -> dict[str, str]:
    """Every service's and signpost's Norwegian title by key, hidden ones too: what staff read
    where a family's application, chat or question names one (never the internal key)."""
    return dict(session.execute(select(ServiceContent.service_key, ServiceContent.title).where(ServiceContent.language == "nb")).all())


@once_per_turn
def service_keys(session: Session) -> frozenset[str]:
    """Every active key the NLU may name: services and signposts."""
    return frozenset(session.execute(select(Service.key).where(Service.active.is_(True))).scalars())


@once_per_turn
def get_contact(session: Session, key: str, language: str) -> ContactView:
    """A contact point in ``language``; raises UnknownContact when it does not exist."""
    contact = session.execute(
        select(ContactPoint)
        .where(ContactPoint.key == key)
        .options(selectinload(ContactPoint.content), selectinload(ContactPoint.hours), selectinload(ContactPoint.source_document))
    ).scalar_one_or_none()
    row = _pick(contact.content, language) if contact else None
    if row is None:
        raise UnknownContact(key)
    return ContactView(
        key=contact.key,
        language=row.language,
        name=row.name,
        role=row.role,
        phone=contact.phone,
        email=contact.email,
        digital_channel=contact.digital_channel,
        postal_address=contact.postal_address,
        visiting_address=contact.visiting_address,
        by_appointment_only=contact.by_appointment_only,
        hours=tuple(OpeningInterval(h.weekday, h.opens, h.closes) for h in contact.hours),
        translation_status=row.translation_status.value,
        source=SourceRef(contact.source_document_id, contact.source_document.title, contact.source_section),
    )


@once_per_turn
def deciding_office(session: Session, decided_by_key: str | None, language: str) -> str | None:
    """The name of whoever decides (a service's routing), None where the sources do not say."""
    if not decided_by_key:
        return None
    try:
        return get_contact(session, decided_by_key, language).name or None
    except UnknownContact:
        return None


def deciding_offices(session: Session, language: str, keys: tuple[str, ...] | None = None) -> dict[str, str | None]:
    """Per active service (or only ``keys``), ``deciding_office`` (for the walk-through and the API)."""
    query = select(Service.key, Service.decided_by_key).where(Service.active.is_(True))
    routes = session.execute(query if keys is None else query.where(Service.key.in_(keys))).all()
    names = {key: deciding_office(session, key, language) for key in {decided for _, decided in routes if decided}}
    return {service: names.get(decided) for service, decided in routes}
