"""Sending an application once the family confirmed the review (the form itself is
``knowledge.applications.form``): store it encrypted with its outbox rows, and give the receipt;
the answers then leave the conversation. The outbox worker delivers it."""
from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from knowledge.applications.fields import CONSENT_STEP, REVIEW_STEP
from knowledge.applications.form import CONSENT_ID, cleared, filled_fields
from knowledge.applications.models import Consent
from knowledge.applications.receipt import wants_receipt
from knowledge.applications.store import submit_application
from knowledge.applications.wording import not_sent_reply, personal_data_removed, receipt_reply
from knowledge.config import load_settings
from knowledge.eligibility.check_form import known_facts
from knowledge.eligibility.engine import eligibility_services, evaluate
from knowledge.eligibility.wording import facts_lines
from knowledge.i18n import Translator, translator
from knowledge.language_detection import decide_language
from knowledge.offline import MAIN_CONTACT, offline_contact
from knowledge.queries import get_contact, list_services
from knowledge.staff.names import CHECK_OUTCOMES
from knowledge.turn import Outcome, Turn

logger = logging.getLogger(__name__)

def submit(tr: Translator, turn: Turn, session) -> Outcome:
    """After the family confirmed the review: store (encrypted) and give the receipt. When the
    database cannot take it, say plainly that it was not sent; the answers stay for another try."""
    if turn.slot(REVIEW_STEP) != "confirmed" or turn.slot(CONSENT_STEP) is not True:
        return Outcome()  # cancelled or refused: already answered
    settings = load_settings()
    filled = filled_fields(turn.slots)
    try:
        consent = session.get(Consent, turn.slot(CONSENT_ID))
        office = get_contact(session, MAIN_CONTACT, tr.language)
        payload = build_payload(session, filled, known_facts(turn), tr.language, consent)
        application = submit_application(session, consent, payload, filled["services"], tr.language, settings,
                                         sender_id=turn.conversation_id)
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        logger.error("application: not stored (%s); the family is asked to try again", type(error).__name__)
        return Outcome([not_sent_reply(tr, offline_contact(tr.language))], {REVIEW_STEP: None})
    logger.info("application: stored reference=%s services=%d", application.reference, len(filled["services"]))
    # Delivered by the outbox worker (web.background), never here: a hung mail server must not
    # hold the action server, where every other family waits.
    return Outcome([receipt_reply(tr, application.reference, office, emailed=wants_receipt(payload)),
                    personal_data_removed(tr)], cleared())


def build_payload(session, filled: dict[str, Any], facts: dict[str, Any], language: str, consent: Consent) -> dict[str, Any]:
    """What the case worker gets: the family's answers, service names and the indicative check in Norwegian."""
    titles_nb = {s.key: s.title for s in list_services(session, "nb")}
    nb = translator("nb")
    checks = [{"key": key, "title_nb": titles_nb.get(key, key), "outcome_nb": CHECK_OUTCOMES[evaluate(key, facts, "nb")["outcome"]]}
              for key in filled["services"] if key in eligibility_services()]
    return {
        "guardian": {"name": filled["guardian_name"], "phone": filled["guardian_phone"], "email": filled["guardian_email"],
                     "address": filled["guardian_address"]},
        "child": {"name": filled["child_name"], "birth_date": filled["child_birth_date"],  # ISO 8601
                  "identity_number": filled["child_identity_number"]},
        "services": [{"key": key, "title_nb": titles_nb.get(key, key)} for key in filled["services"]],
        "office_nb": get_contact(session, MAIN_CONTACT, "nb").name,  # the coordinating unit the form goes to
        "need_description": filled["need_description"],
        "need_language": decide_language(filled["need_description"], explicit=None, previous=language, history=[],
                                         default=language).language,
        "current_services": filled["current_services"],
        "preferred_language": filled["preferred_language"],
        "interpreter_needed": filled["interpreter_needed"],
        "coordinator_wanted": filled["coordinator_wanted"],  # True, False or "dont_know", as the family answered
        "eligibility": checks,
        "facts_nb": facts_lines(nb, facts, date.today()),
        "consent": {"decided_at": (consent.decided_at if consent.decided_at.tzinfo else consent.decided_at.replace(tzinfo=timezone.utc)).isoformat(),
                    "text_version": consent.text_version},
        "submitted_from": "veiviser-chat",
        "prepared_at": datetime.now(timezone.utc).isoformat(),
    }
