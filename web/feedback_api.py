"""``POST /api/feedback``: the family's "Was this helpful?" under an answer card
(``knowledge.feedback``). No sender id is sent or stored; a client may send only as many as it
may send chat messages (the chat's limit, counted apart)."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from knowledge import feedback
from knowledge.db import new_session
from web.client_address import client_address
from web.json_body import bad_request, json_object

logger = logging.getLogger(__name__)


def _store(answer: feedback.Feedback) -> dict:
    with new_session() as session:
        row = feedback.record(session, answer)
        session.commit()
        return {"id": row.id, **({"comment_token": row.comment_token} if row.comment_token else {})}


async def give(request: web.Request) -> web.Response:
    try:
        answer = feedback.read(await json_object(request))
    except feedback.InvalidFeedback as error:
        raise bad_request(str(error)) from None
    if not request.app["chat_limit"].allow("feedback", client_address(request)):
        return web.json_response({"error": "too many answers from this client; try again in a minute"}, status=429,
                                 headers={"Retry-After": "60"})
    try:
        stored = await asyncio.to_thread(_store, answer)
    except SQLAlchemyError as error:
        logger.warning("feedback: not stored (%s)", type(error).__name__)
        return web.json_response({"error": "the answer could not be stored just now; try again"}, status=503)
    logger.info("feedback: card=%s helpful=%s traffic=%s", answer.card, answer.helpful, answer.traffic)  # no comment text
    return web.json_response(stored, status=201)


def _comment(feedback_id: int, token: str, comment: str) -> bool:
    with new_session() as session:
        added = feedback.add_comment(session, feedback_id, token, comment)
        session.commit()
        return added


async def comment(request: web.Request) -> web.Response:
    """The comment after a "no" (once, with the token the "no" got)."""
    body = await json_object(request)
    if not request.app["chat_limit"].allow("feedback", client_address(request)):
        return web.json_response({"error": "too many answers from this client; try again in a minute"}, status=429,
                                 headers={"Retry-After": "60"})
    try:
        added = await asyncio.to_thread(_comment, int(request.match_info["id"]), body.get("comment_token"), body.get("comment"))
    except feedback.InvalidFeedback as error:
        raise bad_request(str(error)) from None
    except SQLAlchemyError as error:
        logger.warning("feedback: comment not stored (%s)", type(error).__name__)
        return web.json_response({"error": "the comment could not be stored just now; try again"}, status=503)
    if not added:
        return web.json_response({"error": "no answer to comment on with that token"}, status=409)
    return web.json_response({"added": True})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/feedback", give)
    app.router.add_post(r"/api/feedback/{id:\d{1,9}}/comment", comment)
