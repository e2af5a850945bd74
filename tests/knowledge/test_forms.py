"""One way every form decides what a message is at a step (knowledge.forms): the step's reader
first, then stop, an old button or another topic."""
from __future__ import annotations

import pytest

from knowledge.applications.fields import attempts_an_answer, could_mean_stop, is_a_question, read_field
from knowledge.forms import AGAIN, ANSWER, ELSEWHERE, STALE, STOP, Reading, Step, Turn, decide


def step(field: str, shaped: bool = False, free_text: bool = False) -> Step:
    def read(turn: Turn) -> Reading:
        read = read_field(field, turn.text, {})
        return Reading(read.value, read.problem)
    return Step(f"app_{field}", read, attempted=(lambda text: attempts_an_answer(field, text)) if shaped else (lambda text: False),
                free_text=free_text, could_mean_stop=could_mean_stop, is_question=is_a_question)


NAME, EMAIL, DATE, ADDRESS = step("guardian_name"), step("guardian_email", True), step("child_birth_date", True), \
    step("guardian_address", free_text=True)


@pytest.mark.parametrize("turn,at,kind", [
    (Turn("Per Stopp", "stop", 0.95), NAME, ANSWER),                      # the reader first: a name
    (Turn("jeg vil avbryte", "stop", 0.95), NAME, STOP),                  # a stop word of its own
    (Turn("stopp", "nlu_fallback", 0.3), NAME, STOP),                     # a whole stop message, whatever the classifier says
    (Turn("cancel.culture@example.com", "stop", 0.9), EMAIL, ANSWER),
    (Turn("2018-03-14", "ask_service", 0.9), DATE, ANSWER),
    (Turn("31.02.2018", "ask_contact", 0.9), DATE, AGAIN),                # an attempt: its help, not another topic
    (Turn("Hva koster avlastning?", "ask_cost", 0.9), DATE, ELSEWHERE),
    (Turn("Hvordan kontakter jeg dere?", "ask_contact", 0.9), ADDRESS, ELSEWHERE),  # a question is not an address
    (Turn("Storgata 1, 7011 Trondheim", "ask_contact", 0.9), ADDRESS, ANSWER),
    (Turn('/affirm{"step": "app_interpreter_needed"}', "affirm", 1.0, ({"entity": "step", "value": "app_interpreter_needed"},)),
     NAME, STALE),
    (Turn('/stop{"step": "app_guardian_name"}', "stop", 1.0, ({"entity": "step", "value": "app_guardian_name"},)), NAME, STOP),
    (Turn("x", "nlu_fallback", 0.2), NAME, AGAIN),
])
def test_what_a_message_is_at_a_step(turn, at, kind):
    assert decide(turn, at).kind == kind


def test_an_answer_carries_its_value_and_a_failed_one_its_problem():
    assert decide(Turn("14. mars 2018"), DATE).value == "2018-03-14"
    assert decide(Turn("01.01.2099"), DATE).problem == "date_range"
