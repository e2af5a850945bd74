"""The right door (issue 12): each service's routing in the knowledge base decides where the chat
sends a family. Services with a door of their own (the companion card at Transporttjenesten,
family measures and physiotherapy contacted directly) are never sent to the coordinating unit's
application form or phone."""
from __future__ import annotations

import pytest

from tests.conversation.chat import PHONE, Conversation, cards, payloads, text

pytestmark = pytest.mark.model


@pytest.mark.parametrize("message,service,door", [
    ("Hvordan søker vi om ledsagerbevis?", "companion_card", "Transporttjenesten"),
    ("How do we apply for the companion card?", "companion_card", "Transporttjenesten"),
    ("كيف نقدم طلبا لبطاقة المرافق؟", "companion_card", "Transporttjenesten"),
    ("ናይ ኣሰናያይ ካርድ ብኸመይ ንሓትት?", "companion_card", "Transporttjenesten"),
    ("Hvordan søker vi om familietiltak?", "family_measures", "Barne- og familietjenesten"),
    ("How do we apply for familietiltak?", "family_measures", "Barne- og familietjenesten"),
    ("كيف نتقدم لخدمة familietiltak؟", "family_measures", "Barne- og familietjenesten"),
    ("ንfamilietiltak ብኸመይ ነመልክት?", "family_measures", "Barne- og familietjenesten"),
    ("Hvordan søker vi om fysioterapi?", "physiotherapy", "Fysioterapitjenester for barn og unge"),
    ("How do we apply for physiotherapy?", "physiotherapy", "Fysioterapitjenester for barn og unge"),
    ("كيف نطلب العلاج الطبيعي لابني؟", "physiotherapy", "Fysioterapitjenester for barn og unge"),
    ("ፊዚዮቴራፒ ንቆልዓና ብኸመይ ንሓትት?", "physiotherapy", "Fysioterapitjenester for barn og unge"),
])
def test_how_to_apply_names_the_services_own_door(rasa, message, service, door):
    replies = Conversation(rasa).say(message)
    assert cards(replies) == [service], replies
    assert door in text(replies)
    assert PHONE not in text(replies), "another office's phone for a service with its own door"
    assert "/affirm" not in payloads(replies), "the application form (its consent question) must not start"


def test_a_service_applied_for_through_the_coordinating_unit_starts_the_form(rasa):
    replies = Conversation(rasa).say("How do we apply for relief care?")
    assert "/affirm" in payloads(replies) and "I can fill in the application" in text(replies)


def test_the_check_result_sends_companion_card_families_to_transporttjenesten(rasa):
    chat = Conversation(rasa)
    chat.say("Can we get a companion card?")
    result = chat.say("yes")
    assert "Next step: contact" in text(result) and "Transporttjenesten" in text(result), result
    assert "Next step: apply to" not in text(result)
    assert "Transporttjenesten" in next(r["custom"]["eligibility"]["disclaimer"] for r in result
                                        if (r.get("custom") or {}).get("type") == "service_card")


def test_the_application_form_offers_only_services_applied_for_there(rasa):
    chat = Conversation(rasa)
    chat.say("I want to apply")
    choices = payloads(chat.say("yes"))
    assert "Relief care (avlastning)" in choices
    assert not {"Companion card (ledsagerbevis)", "Physiotherapy (fysioterapi)", "Family support (familietiltak)"} & set(choices), choices


def signposts(replies) -> list[str]:
    return [r["custom"]["signpost"] for r in replies if (r.get("custom") or {}).get("type") == "signpost"]


@pytest.mark.parametrize("message,signpost", [
    ("Hvordan søker vi om hjelpestønad?", "nav_assistance_allowance"),
    ("How do we apply for hjelpestønad?", "nav_assistance_allowance"),
    ("كيف نقدم طلبا للحصول على hjelpestønad؟", "nav_assistance_allowance"),
    ("hjelpestønad ብኸመይ ንሓትት?", "nav_assistance_allowance"),
    ("Hva skjer når sønnen vår fyller 18?", "adult_services"),
    ("What happens when our son turns 18?", "adult_services"),
    ("ماذا يحدث عندما يبلغ ابننا 18 سنة؟", "adult_services"),
    ("ወድና 18 ዓመት ምስ መልአ እንታይ ይኸውን?", "adult_services"),
])
def test_what_another_body_handles_gets_its_signpost(rasa, message, signpost):
    replies = Conversation(rasa).say(message)
    assert signposts(replies) == [signpost], replies
    assert not cards(replies), "a signpost is never a service card"
    assert "/affirm" not in payloads(replies), "no application to the coordinating unit for another body's business"
    card = next(r["custom"] for r in replies if (r.get("custom") or {}).get("type") == "signpost")
    assert "service" not in card and card["handled_by"] and card["sources"]


def aspects(replies) -> list[tuple[str, str]]:
    return [(r["custom"]["service"], r["custom"].get("aspect")) for r in replies
            if (r.get("custom") or {}).get("type") == "service_card"]


@pytest.mark.parametrize("message,service,aspect,words", [
    ("Hvor lang tid tar det før vi får svar på søknaden om avlastning?", "relief_care", "after_applying", "foreløpig svar"),
    ("We sent the application for a support contact. What happens now?", "support_contact", "after_applying", "preliminary reply"),
    ("قدمنا طلب BPA منذ شهر ولم يتصل بنا أحد، ماذا يحدث الآن؟", "bpa", "after_applying", "Helse- og velferdskontor 0–18 år"),
    ("ንomsorgsstønad ኣመልኪትና ኢና፡ ክንደይ ግዜ ይወስድ?", "care_allowance", "after_applying", "Helse- og velferdskontor 0–18 år"),
    ("Vi fikk avslag på BPA. Kan vi klage?", "bpa", "appeal", "Statsforvalteren"),
    ("They gave us fewer relief care weekends than we need. How do we appeal?", "relief_care", "appeal", "four weeks"),
    ("رفضوا طلب الرعاية المؤقتة (avlastning)، كيف نعترض على القرار؟", "relief_care", "appeal", "Statsforvalteren"),
    ("ንBPA ነጺጎምና፡ ብኸመይ ጥርዓን ነቕርብ?", "bpa", "appeal", "Statsforvalteren"),
])
def test_what_happens_after_applying_and_how_to_appeal(rasa, message, service, aspect, words):
    replies = Conversation(rasa).say(message)
    assert aspects(replies) == [(service, aspect)], replies
    assert words in text(replies)


def test_an_appeal_about_a_service_with_its_own_door_does_not_send_families_to_the_coordinating_unit(rasa):
    replies = Conversation(rasa).say("We were refused the companion card. Can we appeal?")
    assert aspects(replies) == [("companion_card", "appeal")], replies
    assert "Transporttjenesten" in text(replies) and PHONE not in text(replies)


def test_a_follow_up_after_a_service_answer_is_about_that_service(rasa):
    chat = Conversation(rasa)
    chat.say("Hva er avlastning?")
    replies = chat.say("hvor lang tid tar saksbehandlingen?")
    assert aspects(replies) == [("relief_care", "after_applying")], replies
