"""Replies in each language keep the payload contracts of DESIGN.md."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from knowledge import replies
from knowledge.i18n import translator
from knowledge.phone_hours import OSLO
from knowledge.queries import SourceRef, get_contact, get_service
from tests.conftest import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("aspect", replies.ASPECTS)
def test_service_answer_has_text_card_source_and_next_step(session, language, aspect):
    tr = translator(language)
    service = get_service(session, "bpa", language)
    messages = replies.service_answer(tr, service, aspect, get_contact(session, "hvk_0_18", language))
    text, card = messages[0], messages[1].custom
    assert card["type"] == "service_card" and card["service"] == "bpa" and card["language"] == language
    assert card["title"] == service.title and card["summary"] == service.summary
    assert card["sources"] and {"title", "document"} <= set(card["sources"][0])
    assert {a["payload"].split("{")[0] for a in card["actions"]} == {"/ask_eligibility", "/apply", "/ask_contact"}
    shown = service.sources_of(replies.ASPECT_FIELDS[aspect])
    assert any(source.title in text.text for source in shown)
    assert [s["section"] for s in card["sources"]] == [s.section for s in shown]
    assert "94 83 72 85" in text.text and text.buttons


def test_an_answer_cites_the_sources_of_the_text_it_shows(session):
    tr = translator("en")
    service = get_service(session, "relief_care", "en")
    brochure = SourceRef("brosjyre-hvk-2025", "Brochure", "Relief care", ("summary", "description", "who_for"))
    plan = SourceRef("temaplan-barn-2019", "Plan", "Relief care is free", ("cost",), "some law § 1")
    service = replace(service, sources=(brochure, plan))
    cost = replies.service_answer(tr, service, "cost", None)
    assert "Plan, Relief care is free; some law § 1" in cost[0].text and "Brochure" not in cost[0].text
    assert [s["title"] for s in cost[1].custom["sources"]] == ["Plan"] and cost[1].custom["sources"][0]["law"] == "some law § 1"
    about = replies.service_answer(tr, service, "about", None)
    assert "Brochure, Relief care" in about[0].text and "Plan" not in about[0].text


def test_eligibility_answer_states_the_hour_thresholds(session):
    tr = translator("nb")
    text = replies.service_answer(tr, get_service(session, "bpa", "nb"), "eligibility", get_contact(session, "hvk_0_18", "nb"))[0].text
    assert "32 timer" in text and "mellom 25 og 32 timer" in text and "veiledning" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_answer(session, language):
    tr = translator(language)
    contact = get_contact(session, "hvk_0_18", language)
    monday_morning = datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)
    text, card = replies.contact_answer(tr, contact, monday_morning)
    assert card.custom == {**card.custom, "type": "contact", "language": language, "phone": "94837285", "open_now": True}
    assert "helseogvelferdskontor_0-18ar@trondheim.kommune.no" in text.text and "HelsaMi" in text.text
    assert "94 83 72 85" in text.text
    closed = replies.contact_answer(tr, contact, datetime(2026, 11, 28, 10, 0, tzinfo=OSLO))
    assert closed[1].custom["open_now"] is False


def test_arabic_wraps_latin_names_and_numbers_in_isolates(session):
    tr = translator("ar")
    text = replies.contact_answer(tr, get_contact(session, "hvk_0_18", "ar"))[0].text
    assert "\u206894 83 72 85\u2069" in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", ["not_understood", "out_of_scope", "empty", "no_text"])
def test_fallback_offers_phone_and_no_card(session, language, reason):
    messages = replies.fallback_answer(translator(language), get_contact(session, "hvk_0_18", language), reason)
    assert all(m.custom is None for m in messages)
    assert "94 83 72 85" in messages[0].text
    assert any(b["payload"] == "/human_handoff" for b in messages[0].buttons)


def test_language_choice_is_offered_in_all_four_languages():
    text = replies.language_choice_answer()[0]
    assert "Norwegian" in text.text and "norsk" in text.text
    assert [b["payload"] for b in text.buttons] == [f'/change_language{{"language": "{lang}"}}' for lang in LANGUAGES]


def test_phone_format():
    assert replies.format_phone("94837285") == "94 83 72 85"
    assert replies.format_phone("+47 123") == "+47 123"


@pytest.mark.parametrize("language", LANGUAGES)
def test_overview_lists_every_service_and_offers_a_person(session, language):
    from knowledge.queries import list_services

    services = list_services(session, language)
    message = replies.overview_answer(translator(language), services, get_contact(session, "hvk_0_18", language))[0]
    assert len(message.buttons) == 18 and all(s.title in message.text for s in services)
    assert message.buttons[0]["payload"] == "/ask_what_we_can_get"  # not sure which fit: the walk-through
    assert "94 83 72 85" in message.text


def test_the_arabic_offer_joins_the_first_text_or_comes_on_its_own():
    from knowledge.i18n import translator
    from knowledge.replies import Reply, offer_language

    tr = translator("en")
    messages = [Reply(custom={"type": "service_card"}), Reply(text="Relief care is …")]
    offer_language(tr, messages, "ar")
    assert messages[1].text.endswith("I can also answer in Arabic.")
    assert messages[1].buttons[-1] == {"title": "العربية", "payload": '/change_language{"language": "ar"}'}
    alone: list = []
    offer_language(tr, alone, "ar")  # a form's question follows
    assert alone[0].text == "I can also answer in Arabic." and alone[0].buttons[0]["title"] == "العربية"


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_happens_after_applying_and_how_to_appeal_are_answered_with_their_own_sources(session, language):
    tr = translator(language)
    service = get_service(session, "relief_care", language)
    after = replies.service_answer(tr, service, "after_applying", None)
    appeal = replies.service_answer(tr, service, "appeal", None)
    assert service.after_applying in after[0].text and service.appeal in appeal[0].text
    assert after[1].custom["aspect"] == "after_applying" and appeal[1].custom["aspect"] == "appeal"
    assert [s["section"] for s in appeal[1].custom["sources"]] == [  # who decided, and the law on appeals
        "Pårørendestøtte – Avlastningstiltak", "forvaltningsloven §§ 23 og 27", "pasient- og brukerrettighetsloven §§ 7-2 og 7-5"]
    assert "Søknad og saksbehandlingsprosess" in [s["section"] for s in after[1].custom["sources"]]


def test_the_card_names_the_asked_aspect_as_the_contract_does(session):
    tr = translator("en")
    service = get_service(session, "bpa", "en")
    assert replies.service_card(tr, service, "eligibility")["aspect"] == "who_for"
    assert replies.service_card(tr, service, "cost")["aspect"] == "cost"


def test_an_appeal_about_another_bodys_decision_says_who_handles_it_and_how_to_reach_them(session):
    tr = translator("en")
    signpost = get_service(session, "nav_assistance_allowance", "en")
    text, card = replies.signpost_answer(tr, signpost, "appeal", None)
    assert signpost.decided_by in text.text and signpost.how_to_apply in text.text
    assert card.custom["type"] == "signpost" and "service" not in card.custom


def test_a_note_joins_the_plain_text_and_the_card_that_replaces_it(session):
    tr = translator("en")
    messages = replies.service_answer(tr, get_service(session, "relief_care", "en"), "cost", None)
    replies.add_note(messages, "(I have paused the check.)")
    replies.add_note(messages, "That was a long message.", at_start=True)
    assert messages[0].text.startswith("That was a long message.") and messages[0].text.endswith("(I have paused the check.)")
    assert messages[1].custom["notes"] == ["(I have paused the check.)"] and messages[1].custom["lead"] == ["That was a long message."]
