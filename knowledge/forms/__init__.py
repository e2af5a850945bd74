"""Forms the chat fills in, one way for all of them: ``reading`` decides what a message is at a
step; ``protocol`` is what a form is (next question, read, consent, review, change, cancel) and
``handle`` takes one message to one."""
from knowledge.forms.protocol import HANDED_ON, REQUESTED, Form, FormState, handle, offer_resume
from knowledge.forms.reading import (
    AGAIN,
    ANSWER,
    BUTTON_ANSWERS,
    ELSEWHERE,
    NEW_TOPIC_INTENTS,
    STALE,
    STOP,
    STOP_MIN_CONFIDENCE,
    Decision,
    Reading,
    Step,
    decide,
    is_new_topic,
)
from knowledge.turn import Outcome, Turn

__all__ = ["AGAIN", "ANSWER", "BUTTON_ANSWERS", "ELSEWHERE", "HANDED_ON", "NEW_TOPIC_INTENTS", "REQUESTED", "STALE", "STOP",
           "STOP_MIN_CONFIDENCE", "Decision", "Form", "FormState", "Outcome", "Reading", "Step", "Turn", "decide", "handle", "is_new_topic",
           "offer_resume"]
