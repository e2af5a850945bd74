"""Same-origin proxy from the widget to Rasa's REST channel.

When Rasa is unreachable, or answers nothing (as it does when the action server is down), the
user gets a message in their language with the phone number instead of silence.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
from aiohttp import web

from knowledge.db import new_session
from knowledge.i18n import translator
from knowledge.language_detection import decide_language, letter_words
from knowledge.languages import INPUT_LANGUAGES
from knowledge.offline import MAIN_CONTACT, offline_contact
from knowledge.queries import get_contact
from knowledge.redaction import EMAIL, URL
from knowledge.replies import Reply, unavailable_answer
from knowledge.text import MAX_MESSAGE_CHARS, clean_message
from web.client_address import client_address
from web.json_body import json_object
from web.live_chat import passed_to_case_worker
from web.replicas import Replicas
from web.sender import SENDER_RULE, is_sender

logger = logging.getLogger(__name__)

#: What a call to another process can raise when it is down, hangs or cuts the connection
#: (on Python 3.10 asyncio's timeout is not the built-in TimeoutError).
UNREACHABLE = (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError)
#: The request never reached the replica (refused, no route, connect timeout): another may take it.
NOT_REACHED = (aiohttp.ClientConnectorError, aiohttp.ServerTimeoutError)
#: A replica that does not accept the connection within this long is passed over.
CONNECT_SECONDS = 1.0


#: The fallback looks the phone number up in the database only this long (it may be what hangs);
#: then the seed file's, so the family has a reply within five seconds in all.
CONTACT_LOOKUP_SECONDS = 0.2


def _contact(language: str):
    with new_session() as session:
        return get_contact(session, MAIN_CONTACT, language)


async def contact_for(language: str):
    """The main contact point, as editors keep it, or as the seed file has it when the database
    is down, locked or slow (never blocking the event loop that serves every family)."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(_contact, language), CONTACT_LOOKUP_SECONDS)
    except Exception:  # noqa: BLE001 - down, locked, slow or never seeded: the seed file still knows the number
        return offline_contact(language)


def to_rest_messages(sender: str, messages: list[Reply]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        item: dict[str, Any] = {"recipient_id": sender}
        if message.text:
            item["text"] = message.text
        if message.buttons:
            item["buttons"] = message.buttons
        if message.custom:
            item["custom"] = message.custom
        out.append(item)
    return out


def rejoin_texts(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One reply, one bubble: Rasa's REST channel splits a text without buttons at each blank line
    into separate messages; consecutive plain texts of one turn are joined back (paragraphs kept)."""
    out: list[dict[str, Any]] = []
    for reply in replies:
        plain = set(reply) <= {"recipient_id", "text"} and reply.get("text")
        if plain and out and set(out[-1]) <= {"recipient_id", "text"} and out[-1].get("text"):
            out[-1] = {**out[-1], "text": out[-1]["text"] + "\n\n" + reply["text"]}
        else:
            out.append(reply)
    return out


def validate(body: Any) -> tuple[str, str, dict[str, Any], str | None]:
    """Check the widget's request; raises HTTPBadRequest with a reason a developer can act on."""
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object with sender and message")
    sender, message, metadata = body.get("sender"), body.get("message", ""), body.get("metadata") or {}
    if not is_sender(sender):
        raise web.HTTPBadRequest(text=SENDER_RULE)
    if not isinstance(message, str):
        raise web.HTTPBadRequest(text="message must be a string")
    message = clean_message(message)
    if len(message) > MAX_MESSAGE_CHARS:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_MESSAGE_CHARS, actual_size=len(message),
                                           text=f"message must be at most {MAX_MESSAGE_CHARS} characters")
    if not isinstance(metadata, dict):
        raise web.HTTPBadRequest(text="metadata must be an object")
    language = metadata.get("language")
    clean_metadata = {"language": language} if language in INPUT_LANGUAGES else {}
    if metadata.get("traffic") == "test":  # tests and evaluations: counted apart in the staff's figures
        clean_metadata["traffic"] = "test"
    replied_in = metadata.get("replied_in") if metadata.get("replied_in") in INPUT_LANGUAGES else None
    return sender, message, clean_metadata, replied_in


def own_reply_language(message: str, metadata: dict[str, Any], replied_in: str | None) -> str:
    """The language of the web app's own replies (the assistant cannot answer, or too many messages):
    the family's choice; else, when the message says little of its language (an e-mail address, a
    name, a number), the language the conversation was in; else the message's."""
    decision = decide_language(message, explicit=metadata.get("language"), previous=replied_in)
    words = letter_words(URL.sub(" ", EMAIL.sub(" ", message)))
    guessed_from_little = decision.method not in ("explicit", "script", "arabizi") and len(words) < 3
    return replied_in if replied_in and guessed_from_little else decision.language


async def ask_rasa(app: web.Application, sender: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation's replica answers; when it cannot be reached, the next one in the
    conversation's order, all within the one time limit. A replica that was reached but did not
    answer is not asked again for this message: it may have taken the turn, and a turn such as
    "send the application" must not happen twice."""
    replicas: Replicas = app["replicas"]
    deadline = time.monotonic() + app["settings"].rasa_timeout_seconds
    for url in replicas.order_for(sender):
        remaining = deadline - time.monotonic()
        if remaining < 0.05:
            break
        try:
            async with app["http"].post(f"{url}/webhooks/rest/webhook", json=body, timeout=aiohttp.ClientTimeout(
                    total=remaining, sock_connect=min(CONNECT_SECONDS, remaining))) as response:
                if response.status != 200:
                    logger.error("rasa replica %d answered HTTP %s", replicas.number(url), response.status)
                    return []
                replicas.answered(url)
                return rejoin_texts(await response.json())
        except NOT_REACHED as exc:
            logger.warning("rasa replica %d not reached (%s): trying the next", replicas.number(url), type(exc).__name__)
            replicas.failed(url)
        except UNREACHABLE as exc:
            logger.error("rasa replica %d did not answer: %s", replicas.number(url), type(exc).__name__)
            replicas.failed(url)
            return []
    return []


async def chat(request: web.Request) -> web.Response:
    sender, message, metadata, replied_in = validate(await json_object(request))
    if not request.app["chat_limit"].allow(sender, client_address(request)):
        logger.warning("chat: too many messages from one client")
        tr = translator(own_reply_language(message, metadata, replied_in))
        replies = to_rest_messages(sender, unavailable_answer(tr, offline_contact(tr.language)))
        return web.json_response(replies, status=429, headers={"Retry-After": "10"})
    if await passed_to_case_worker(sender, message):
        return web.json_response([])  # a person has the conversation (the assistant is paused) and answers in the chat
    replies = await ask_rasa(request.app, sender, {"sender": sender, "message": message, "metadata": metadata})
    if not replies and await passed_to_case_worker(sender, message, surely=True):
        return web.json_response([])  # the paused assistant answered nothing: a person has the conversation
    if not replies:
        tr = translator(own_reply_language(message, metadata, replied_in))
        replies = to_rest_messages(sender, unavailable_answer(tr, await contact_for(tr.language)))
    return web.json_response(replies)
