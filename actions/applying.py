"""The application form's state in a Rasa tracker: slots named ``app_…`` (personal data, held only
while the family fills in), and how the form starts, pauses and is cleared."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

from knowledge.applications.fields import CHANGE_STEP, CONSENT_STEP, FIELD_NAMES, REVIEW_STEP, SERVICES_STEP
from knowledge.i18n import Translator
from knowledge.replies import Reply, add_note, button

FORM = "application_form"
REQUESTED_SLOT = "requested_slot"
CONSENT, SERVICES, REVIEW, CHANGE = CONSENT_STEP, SERVICES_STEP, REVIEW_STEP, CHANGE_STEP
CONSENT_ID, EDITING = "app_consent_id", "app_editing"
FIELD_SLOTS = tuple(f"app_{name}" for name in FIELD_NAMES)
ALL_SLOTS = (CONSENT, CONSENT_ID, SERVICES, REVIEW, CHANGE, EDITING, *FIELD_SLOTS)


def filled_fields(tracker: Tracker) -> dict[str, Any]:
    values = {name: tracker.get_slot(f"app_{name}") for name in FIELD_NAMES}
    values["services"] = tracker.get_slot(SERVICES) or []
    return values


def clear_events() -> list[dict]:
    """Personal data leaves the conversation once the application is sent or cancelled."""
    return [SlotSet(name, None) for name in ALL_SLOTS]


def applying(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == FORM


def begin_application(tracker: Tracker, services: list[str]) -> list[dict]:
    """Start (or continue) the form; services named now are added to those already chosen."""
    chosen = list(dict.fromkeys([*(tracker.get_slot(SERVICES) or []), *services]))
    return [SlotSet(SERVICES, chosen), SlotSet(REQUESTED_SLOT, None), FollowupAction(FORM)]



def pause_events() -> list[dict]:
    """Another topic while filling in: the form stops asking, the answers are kept for later."""
    return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet(EDITING, None)]


def add_resume(tr: Translator, messages: list[Reply]) -> None:
    for message in messages:
        if message.custom is None and message.text:
            add_note(messages, tr.gettext("(I have paused the application. Your answers are kept until you leave the chat.)"))
            message.buttons = [button(tr.gettext("Continue the application"), "apply"), *message.buttons]
            return
