"""The conversation with the assistant so far, as the case worker who takes a chat sees it.

Read from the conversation store (Rasa's events, decrypted here and never logged). What the family
typed into the application or the callback form, and what the assistant said back inside those
forms (the review lists every answer, the receipt the phone number), is personal: it is not shown,
only that a form was filled in. The family chose to share its questions by asking for a person;
it did not choose to show the case worker its child's identity number.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from knowledge import conversation_store

#: Forms whose answers are personal details.
PERSONAL_FORMS = frozenset({"application_form", "callback_form"})
#: Actions that speak of those answers (the forms' own turns, the receipts).
PERSONAL_ACTIONS = frozenset({*PERSONAL_FORMS, "validate_application_form", "validate_callback_form",
                              "action_submit_application", "action_submit_callback"})


#: A tapped button, in the staff's language (its payload means nothing to a case worker).
TAPPED = "(trykket på en knapp)"


@dataclass(frozen=True)
class Line:
    """One message: who wrote it (``family`` or ``assistant``), and its text, or None when hidden."""
    author: str
    text: str | None

    @property
    def hidden(self) -> bool:
        return self.text is None


def _bot_text(event: dict) -> str:
    custom = (event.get("data") or {}).get("custom") or {}
    if event.get("text"):
        return event["text"]
    return custom.get("text") or custom.get("summary") or custom.get("title") or ""


def lines(events: list[dict]) -> list[Line]:
    """The conversation's messages in order; a form's personal turns as one hidden line each run."""
    out: list[Line] = []
    form = action = None
    for event in events:
        kind = event.get("event")
        if kind == "restart":
            out = []
        elif kind == "active_loop":
            form = event.get("name")
        elif kind == "action":
            action = event.get("name")
        elif kind == "bot" and ((event.get("data") or {}).get("custom") or {}).get("replaces_text") and out \
                and out[-1].author == "assistant":
            continue  # a card and its plain-text twin are one answer
        elif kind in ("user", "bot"):
            author = "family" if kind == "user" else "assistant"
            personal = form in PERSONAL_FORMS or (kind == "bot" and action in PERSONAL_ACTIONS)
            if personal:
                text = None
            elif kind == "user":
                typed = event.get("text") or ""
                text = TAPPED if typed.startswith("/") else typed
            else:
                text = _bot_text(event)
            if text == "" or (personal and out and out[-1].hidden and out[-1].author == author):
                continue
            out.append(Line(author, text))
    return out


def bot_conversation(session: Session, sender_id: str) -> list[Line]:
    """What the family and the assistant said before the chat (empty once the conversation was deleted)."""
    saved = conversation_store.read(session, sender_id)
    return lines(saved.events) if saved else []
