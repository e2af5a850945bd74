"""POST /api/eligibility and /api/eligibility/overview (contract in DESIGN.md).

Bad input is a 400 with a message a developer can act on: unknown service, unknown fact, wrong
type, impossible value, unknown language or date.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from aiohttp import web

from knowledge.eligibility import FactError, UnknownEligibilityService, eligibility_services, evaluate, overview
from knowledge.languages import INPUT_LANGUAGES


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}, ensure_ascii=False), content_type="application/json")


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise _bad("body must be JSON") from exc
    if not isinstance(body, dict):
        raise _bad("body must be a JSON object")
    return body


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
    body = await _body(request)
    service = body.get("service")
    if not isinstance(service, str):
        raise _bad("service must be a service key, e.g. \"bpa\"")
    facts, language, day = _options(body)
    try:
        return web.json_response(evaluate(service, facts, language, day))
    except UnknownEligibilityService as exc:
        raise _bad(f"unknown service {service!r}; services with eligibility rules: {', '.join(eligibility_services())}") from exc
    except FactError as exc:
        raise _bad(str(exc)) from exc


async def check_all(request: web.Request) -> web.Response:
    facts, language, day = _options(await _body(request))
    try:
        return web.json_response({"results": overview(facts, language, day)})
    except FactError as exc:
        raise _bad(str(exc)) from exc


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/eligibility", check)
    app.router.add_post("/api/eligibility/overview", check_all)
