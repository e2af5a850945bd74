from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from knowledge import revision
from knowledge.db import default_engine, new_session
from knowledge.models import Service
from knowledge.queries import UnknownService, get_contact, get_service, list_services, remembering, service_keys
from knowledge.service_keys import SERVICE_KEYS
from knowledge.staff import contacts
from knowledge.unanswered import UnansweredQuestion
from tests.conftest import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_get_service_in_each_language(session, language):
    view = get_service(session, "relief_care", language)
    assert view.language == language and view.title and view.summary
    assert view.sources and view.sources[0].title
    assert view.contact_key == "hvk_0_18"


def test_nynorsk_falls_back_to_bokmal(session):
    assert get_service(session, "bpa", "nn").language == "nb"


def test_unknown_service_raises(session):
    with pytest.raises(UnknownService):
        get_service(session, "parking_permit", "nb")


def test_list_services_in_display_order(session):
    keys = [view.key for view in list_services(session, "en")]
    assert keys == list(SERVICE_KEYS)
    signposts = {s.key for s in list_services(session, "nb", kind="signpost")}
    assert service_keys(session) == set(SERVICE_KEYS) | signposts and not signposts & set(SERVICE_KEYS)
    assert {"nav_assistance_allowance", "adult_services", "emergency"} <= signposts


def test_main_contact_point(session):
    contact = get_contact(session, "hvk_0_18", "nb")
    assert contact.phone == "94837285"
    assert contact.digital_channel == "HelsaMi" and contact.by_appointment_only
    assert {(h.weekday, h.opens, h.closes) for h in contact.hours} == {
        (day, opens, closes) for day in range(5) for opens, closes in (("09:30", "11:00"), ("12:00", "13:30"))}
    assert "koordinerende enhet" in contact.role


def test_companion_card_goes_through_transport_service(session):
    service = get_service(session, "companion_card", "nb")
    assert get_contact(session, service.contact_key, "nb").name.startswith("Transporttjenesten")


@contextmanager
def statements_counted(engine):
    """How many SQL statements the engine sends inside the block."""
    sent = []

    def count(*_args) -> None:
        sent.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _a_turns_lookups(session) -> tuple:
    with remembering(session):
        return (get_service(session, "bpa", "nb"), list_services(session, "en"), service_keys(session),
                get_contact(session, "hvk_0_18", "ar"))


def test_turns_read_the_knowledge_base_from_memory_until_an_editor_changes_it():
    with new_session(default_engine()) as session:
        first = _a_turns_lookups(session)
    with statements_counted(default_engine()) as sent, new_session(default_engine()) as session:
        again = _a_turns_lookups(session)
    assert again == first and len(sent) == 0  # only the revision is read, on its own small pool

    with new_session(default_engine()) as editor:
        before = contacts.get(editor, "hvk_0_18")
        changed = {**before, "content": {**before["content"], "ar": {**before["content"]["ar"], "role": "دور جديد"}}}
        contacts.save(editor, "hvk_0_18", changed, "ed", "Ny rolle")
        editor.commit()
    try:
        with new_session(default_engine()) as session:
            assert _a_turns_lookups(session)[3].role == "دور جديد"  # the next turn, in any process
    finally:
        with new_session(default_engine()) as editor:
            contacts.restore(editor, contacts.history(editor, "hvk_0_18")[1].id, "ed", "Tilbake")
            editor.commit()
    with new_session(default_engine()) as session:
        assert _a_turns_lookups(session)[3].role == first[3].role


def test_the_revision_moves_with_content_in_the_same_transaction_only():
    with new_session(default_engine()) as session:
        start = revision.current(session)
        session.add(UnansweredQuestion(text="[…]", language="nb", reason="not_understood"))  # not content
        session.flush()
        assert revision.current(session) == start
        session.get(Service, "bpa").sort_order += 1  # content
        session.flush()
        assert revision.current(session) == start + 1
        session.rollback()
    with new_session(default_engine()) as session:
        assert revision.current(session) == start  # rolled back with the change


def test_a_staff_session_is_never_served_from_memory():
    with new_session(default_engine()) as session:
        _a_turns_lookups(session)
    with statements_counted(default_engine()) as sent, new_session(default_engine()) as session:
        get_service(session, "bpa", "nb")
    assert len(sent) > 1


def test_a_check_in_a_turn_asks_for_new_parameters_only_when_the_revision_moved(seeded_database):
    from knowledge.eligibility import parameters

    parameters.use_database(seeded_database)
    try:
        with new_session(default_engine()) as session, remembering(session):
            parameters.refresh()  # the first look reads the values
        with statements_counted(default_engine()) as sent, new_session(default_engine()) as session, remembering(session):
            parameters.refresh()
        assert len(sent) == 0  # the turn read the revision (on its own pool); the check asked nothing more
        with new_session(default_engine()) as session:
            session.get(Service, "bpa").sort_order += 1  # any edit moves the revision
            session.commit()
        with statements_counted(default_engine()) as sent, new_session(default_engine()) as session, remembering(session):
            parameters.refresh()
        assert len(sent) >= 2  # read again
        with new_session(default_engine()) as session:
            session.get(Service, "bpa").sort_order -= 1
            session.commit()
    finally:
        parameters.use_database(None)


def test_the_revision_is_read_again_after_a_database_restart_broke_the_pooled_connection():
    """The revision's own pool does not ping before use; a connection broken by a restart fails
    once, the pool is renewed and the read is made again."""
    engine = default_engine()
    expected = revision.current_of(engine)
    reader = revision._reader(engine.url.render_as_string(hide_password=False))
    with reader.connect() as connection:  # break the connection the pool will hand out next
        raw = connection.connection.dbapi_connection
    raw.close()
    assert revision.current_of(engine) == expected


def test_a_locked_database_is_waited_for_briefly_and_the_turn_answers_from_the_content_last_read():
    import sqlite3
    import time

    engine = default_engine()
    if engine.dialect.name != "sqlite":
        pytest.skip("another process's exclusive lock is SQLite's")
    with new_session(engine) as session:
        first = _a_turns_lookups(session)
    lock = sqlite3.connect(engine.url.database, timeout=1)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with new_session(engine) as session:
            assert _a_turns_lookups(session) == first
        assert time.monotonic() - started < revision.LOCKED_SECONDS + 0.5
    finally:
        lock.rollback()
        lock.close()
