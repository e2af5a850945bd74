"""Rasa's server as Veiviser runs it: ``python -m veiviser_nlu.server run …`` takes the same
arguments as ``rasa run``; no log line carries what a family wrote or what the tracker holds, and
the first family does not wait while Rasa builds its graphs (a warm-up message goes first).

Rasa's structured logs pass every event through ``rasa.utils.log_utils._anonymizer``, which in
Rasa Open Source changes nothing; here it removes the values of the keys that hold message text,
slots, events and trackers. Ordinary log records from Rasa's libraries get the same treatment for
the exception text of failed HTTP calls (a response body may hold a tracker).
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import urllib.request
import warnings
from collections.abc import Callable
from typing import Any

REMOVED = "[removed]"
#: Keys whose values are what a family wrote, or hold it (Rasa's own list, and the tracker).
PERSONAL_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities", "prediction_events",
    "tracker_latest_message", "prefilled_slots", "message", "response", "slot_candidates", "rasa_event", "rasa_events",
    "tracker_states", "current_states", "old_states", "successes", "current_entity", "next_entity", "states", "entity",
    "token_text", "user_message", "json_message", "tracker", "slots", "events", "metadata", "body", "value",
})


def remove_personal_values(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: the event's name stays, what the family wrote goes; an exception is
    named by its type (its rendering would show local variables, such as the tracker)."""
    for key in PERSONAL_KEYS & set(event_dict):
        event_dict[key] = REMOVED
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        error = exc_info[1] if isinstance(exc_info, tuple) else exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        event_dict["error"] = type(error).__name__ if error is not None else "unknown"
    return event_dict


def exceptions_by_type(make_record: Any = None):
    """A log record factory: an exception (whose text or chained cause may hold the other side's
    answer, a tracker) is logged by its type and where it was raised, without its text."""
    make_record = make_record or logging.getLogRecordFactory()

    def record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        made = make_record(*args, **kwargs)
        if made.exc_info and made.exc_info[1] is not None:
            error, trace = made.exc_info[1], made.exc_info[2]
            while trace is not None and trace.tb_next is not None:
                trace = trace.tb_next
            where = f" at {trace.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{trace.tb_lineno}" if trace else ""
            made.msg, made.args = f"{made.getMessage()} ({type(error).__name__}{where})", ()
            made.exc_info, made.exc_text = None, None
        return made
    return record


#: Rasa's warnings that quote what a family typed ("/affirm … 15031951264" is read as a button
#: payload it cannot parse); the message itself is answered as usual.
QUOTING_WARNINGS = r"Failed to parse arguments in line"


def action_result_check() -> Callable[[Any], bool]:
    """Whether an answer of the action server is valid against Rasa's JSON schema, the same verdict
    as ``jsonschema`` gives for the whole schema, found faster: the schema says each event is "one of"
    23 kinds, each told by a constant event name, so jsonschema tried every kind for every event (a
    tenth of Rasa's time per turn). Here each event is checked against the one kind its name says,
    and the rest of the answer against the schema without that choice."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    events = schema["properties"]["events"]
    kinds = events["items"]["oneOf"]
    names = [kind["properties"]["event"]["const"] for kind in kinds]
    if len(set(names)) != len(kinds):  # another Rasa's schema: check it whole
        return validator_class(schema).is_valid
    without_choice = {**schema, "properties": {**schema["properties"], "events": {
        **events, "items": {key: value for key, value in events["items"].items() if key != "oneOf"}}}}
    outer = validator_class(without_choice)
    by_name = {name: validator_class(kind) for name, kind in zip(names, kinds, strict=True)}

    def valid(result: Any) -> bool:
        if not outer.is_valid(result):
            return False
        for event in result.get("events") or ():
            kind = by_name.get(event["event"])
            if kind is None or not kind.is_valid(event):
                return False
        return True
    return valid


def validate_action_results_quickly() -> None:
    """Rasa checks each answer of the action server against its JSON schema on every call, the
    schema itself included (a fifth of Rasa's time per turn); ``action_result_check`` gives the same
    verdict. An invalid answer still goes to Rasa's own check, for its error message."""
    from rasa.core.actions.action import RemoteAction

    valid = action_result_check()
    original = RemoteAction._validate_action_result

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        return True if valid(result) else original(self, result)

    RemoteAction._validate_action_result = validate


def intent_classifier_fast_to_apply() -> None:
    """Rasa's logistic-regression intent classifier, loaded with its weights stored for sparse
    messages (``veiviser_nlu.service_classifier.fast_to_apply``): the same predictions, without
    copying its weight matrix on every message."""
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    from veiviser_nlu.service_classifier import fast_to_apply

    load = LogisticRegressionClassifier.load.__func__

    def loaded(cls, *args: Any, **kwargs: Any) -> LogisticRegressionClassifier:
        component = load(cls, *args, **kwargs)
        fast_to_apply(component.clf)
        return component

    LogisticRegressionClassifier.load = classmethod(loaded)


class _KeptOpen:
    """``async with`` gives the shared session and leaves it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def keep_connections_to_the_action_server() -> None:
    """Rasa opens a new HTTP session, and so a new TCP connection, for every call to the action
    server (several per turn): an eighth of Rasa's time, and the action server's as much again.
    Each endpoint now keeps one session (with Rasa's own headers, auth and timeout) per event loop,
    and its connections are reused; the action server keeps idle ones longer than aiohttp does."""
    from rasa.utils.endpoints import EndpointConfig

    make_session = EndpointConfig.session
    if getattr(make_session, "keeps_connections", False):
        return  # installed already

    def session(self: EndpointConfig) -> _KeptOpen:
        import asyncio

        loop = asyncio.get_running_loop()
        kept_loop, shared = getattr(self, "_kept_session", (None, None))
        if shared is None or shared.closed or kept_loop is not loop:
            shared = make_session(self)
            self._kept_session = (loop, shared)
        return _KeptOpen(shared)

    session.keeps_connections = True
    EndpointConfig.session = session


def install() -> None:
    from rasa.utils import log_utils

    keep_connections_to_the_action_server()
    validate_action_results_quickly()
    intent_classifier_fast_to_apply()
    warnings.filterwarnings("ignore", message=QUOTING_WARNINGS)
    log_utils._anonymizer = remove_personal_values  # looked up when Rasa configures its logging
    logging.setLogRecordFactory(exceptions_by_type())


#: One short conversation per language: a tap, a question, a check started and answered once, then
#: "Start over". A tap (``/greet``) skips the NLU pipeline; each language's first question builds
#: featurizer and classifier state (0.7 s instead of 0.1 s when only a tap went first); the first
#: check after a start imported and read its rules (170 ms instead of 45 ms, `make bench`). The
#: closing ``/restart`` deletes the warm-up's conversation from the tracker store.
WARM_UP_CONVERSATIONS = {
    "nb": ("/greet", "Hva er avlastning?", "Kan vi få avlastning?", "ja", "/restart"),
    "en": ("What is a companion card?", "Can we get a companion card?", "yes", "/restart"),
    "ar": ("ما هو الشخص المرافق؟", "هل يمكننا الحصول على بطاقة المرافق؟", "نعم", "/restart"),
    "ti": ("ሓገዝ ዕረፍቲ እንታይ እዩ?", "Starthjelp ክንረክብ ንኽእል ዶ?", "እወ", "/restart"),
}


def warm_up(rasa_url: str) -> None:
    """The conversations above through Rasa, the action server and the database before the first
    family: Rasa's first message after a start takes seconds, longer than the web app waits."""
    for language, messages in WARM_UP_CONVERSATIONS.items():
        for message in messages:
            body = json.dumps({"sender": f"warm-up-{language}", "message": message,  # not a family: counted apart
                               "metadata": {"language": language, "traffic": "test"}}).encode()
            request = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback only
                response.read()


def _warm_up_when_up(port: str, seconds: float = 600) -> None:
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            warm_up(url)
            return
        except OSError:
            time.sleep(1)


#: Rasa's Sanic keeps an idle connection longer than the web app's client does (aiohttp: 15 s), so
#: the web app closes it first and never sends a message into a connection Rasa is closing.
KEEP_ALIVE_SECONDS = "75"


def main(argv: list[str]) -> None:
    install()
    os.environ.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", KEEP_ALIVE_SECONDS)  # Sanic reads SANIC_* into its config
    port = argv[argv.index("--port") + 1] if "--port" in argv[:-1] else "5005"
    threading.Thread(target=_warm_up_when_up, args=(port,), daemon=True).start()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
