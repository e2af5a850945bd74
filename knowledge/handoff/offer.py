"""When the assistant is not enough: a person. Asked for, the family gets a live chat when the
office is open and a case worker is available (a place in the queue), otherwise the callback
form (``knowledge.handoff.callback``). Elsewhere the assistant offers a person: after two
messages in a row it could not place, and with a check result that is negative or left to the
case worker's judgement. The offer says which of the two the family will get now."""
from __future__ import annotations

from datetime import datetime, timezone

from knowledge import replies, suggestions
from knowledge.handoff import live_chat
from knowledge.handoff.callback import CONSENT_STEP, begin_callback
from knowledge.handoff.callback_wording import no_chat_text, offer_text, person_button, queued_reply
from knowledge.i18n import Translator
from knowledge.offline import MAIN_CONTACT
from knowledge.queries import get_contact
from knowledge.replies import Reply
from knowledge.turn import Outcome, Turn

#: Messages in a row the assistant could not place before it offers a person of its own accord.
UNPLACED_BEFORE_OFFER = 2
UNPLACED_SLOT = "unplaced"


def now() -> datetime:
    """This moment (tests set another, so opening hours need not follow the wall clock)."""
    return datetime.now(timezone.utc)


def human_handoff(tr: Translator, turn: Turn, session) -> Outcome:
    """The family asks for a person (typed in any language, or a "Talk to a person" button)."""
    if not turn.tapped:
        suggested = suggestions.suggestions_for_a_need(tr, turn, session)  # "someone to go swimming with her"
        if suggested:
            return Outcome(suggested)
    if turn.slot(CONSENT_STEP) is True:  # a call-back request begun earlier: go on with it
        return begin_callback(turn)
    moment = now()
    chat = live_chat.current_chat(session, turn.conversation_id)
    if chat is None and live_chat.can_chat_now(session, moment):
        place = live_chat.ask(session, turn.conversation_id, tr.language, turn.slot("service"), moment)
        session.commit()
        return Outcome(queued_reply(tr, place))
    if chat is not None:
        return Outcome(queued_reply(tr, live_chat.place(session, chat, moment)))
    messages = replies.contact_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), moment)  # the phone, and whether it is open
    replies.add_note(messages, no_chat_text(tr, live_chat.office_open(session, moment)), at_start=True)
    return begin_callback(turn, messages)


def offer_a_person(tr: Translator, session, messages: list[Reply], lead: bool = False) -> None:
    """Add the offer (chat now, or a call back) to an answer's first text: its button after the
    answer's own next steps, or, with ``lead``, the offer in words before the answer and its button first."""
    can_chat = live_chat.can_chat_now(session, now())
    choice = person_button(tr, can_chat)
    for message in messages:
        if message.custom is None and message.text:
            others = [b for b in message.buttons if b.get("payload") != choice["payload"]]
            message.buttons = [choice, *others] if lead else [*others, choice]
            if lead:
                message.text = offer_text(tr, can_chat) + "\n\n" + message.text
            return
    messages.append(Reply(text=offer_text(tr, can_chat), buttons=[choice]))


def count_unplaced(turn: Turn, placed: bool) -> dict[str, int]:
    """The slot change that counts messages in a row the assistant could not place."""
    before = int(turn.slot(UNPLACED_SLOT) or 0)
    if placed:
        return {UNPLACED_SLOT: 0} if before else {}
    return {UNPLACED_SLOT: before + 1}


def offers_now(turn: Turn) -> bool:
    """The second message in a row the assistant could not place."""
    return int(turn.slot(UNPLACED_SLOT) or 0) + 1 >= UNPLACED_BEFORE_OFFER
