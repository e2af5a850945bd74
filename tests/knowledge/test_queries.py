from __future__ import annotations

import pytest

from knowledge.queries import UnknownService, get_contact, get_service, list_services, service_keys
from knowledge.service_keys import SERVICE_KEYS
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
