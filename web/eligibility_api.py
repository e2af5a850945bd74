"""POST /api/eligibility and /api/eligibility/overview (contract in DESIGN.md).

Bad input is a 400 with a message a developer can act on: unknown service, unknown fact, wrong
type, impossible value, unknown language or date.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from knowledge.eligibility import (
    FactError,
    NoRulesOnDate,
    UnknownEligibilityService,
    eligibility_services,
    evaluate,
    overview,
)
from knowledge.languages import INPUT_LANGUAGES, answer_language
from knowledge.queries import deciding_offices
from web.database import in_db
from web.json_body import bad_request, json_object

logger = logging.getLogger(__name__)
#: The check answers without the database; it only names the deciding office when it can look it up this fast.
OFFICE_LOOKUP_SECONDS = 3.0


async def _offices(request: web.Request, language: str, keys: tuple[str, ...] | None = None) -> dict[str, str | None]:
    """Who decides each service (or only ``keys``; its routing in the knowledge base), for the
    disclaimer; {} (a general disclaimer) when the database is down or slow."""
    try:
        return await asyncio.wait_for(in_db(request, lambda session: deciding_offices(session, answer_language(language), keys)),
                                      OFFICE_LOOKUP_SECONDS)
    except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
        logger.warning("eligibility: deciding offices not available (%s)", type(exc).__name__)
        return {}


def _bad(message: str) -> web.HTTPException:
    return bad_request(message)


def _options(body: dict[str, Any]) -> tuple[dict[str, Any], str, date | None]:
    facts = body.get("facts", {})
    if not isinstance(facts, dict):
        raise _bad("facts must be an object mapping fact names to values")
    language = body.get("language", "nb")
    if language not in INPUT_LANGUAGES:
        raise _bad(f"language must be one of {', '.join(INPUT_LANGUAGES)}")
    day = None
    if "date" in body:
        try:
            day = date.fromisoformat(str(body["date"]))
        except ValueError as exc:
            raise _bad("date must be YYYY-MM-DD") from exc
    return facts, language, day


async def check(request: web.Request) -> web.Response:
    body = await json_object(request)
    service = body.get("service")
    if not isinstance(service, str):
        raise _bad("service must be a service key, e.g. \"bpa\"")
    facts, language, day = _options(body)
    try:
        offices = await _offices(request, language, (service,)) if service in eligibility_services() else {}
        return web.json_response(evaluate(service, facts, language, day, offices.get(service)))
    except UnknownEligibilityService as exc:
        raise _bad(f"unknown service {service!r}; services with eligibility rules: {', '.join(eligibility_services())}") from exc
    except (FactError, NoRulesOnDate) as exc:
        raise _bad(str(exc)) from exc


async def check_all(request: web.Request) -> web.Response:
    facts, language, day = _options(await json_object(request))
    try:
        return web.json_response({"results": overview(facts, language, day, await _offices(request, language))})
    except (FactError, NoRulesOnDate) as exc:
        raise _bad(str(exc)) from exc


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/eligibility", check)
    app.router.add_post("/api/eligibility/overview", check_all)
