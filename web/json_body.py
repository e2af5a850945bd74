"""Reading a JSON request body, one way for every API: only ``application/json`` (so a page on
another site cannot post a plain form to it), UTF-8 (RFC 8259; a declared charset that is not is
refused), no NaN or Infinity, not nested deeper than any real request, and an object. Anything
else is a 400 (or 415) with a message a developer can act on, never a 500."""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web

#: Real requests nest two or three levels; far deeper is an attack on the parser.
MAX_DEPTH = 20


def bad_request(message: str, status: int = 400) -> web.HTTPException:
    kind = web.HTTPUnsupportedMediaType if status == 415 else web.HTTPBadRequest
    return kind(text=json.dumps({"error": message}, ensure_ascii=False), content_type="application/json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _depth(text: str) -> int:
    """How deeply brackets nest, outside strings (without parsing, so a deep body costs nothing)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


async def json_object(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise bad_request("send the body as application/json", 415)
    if (request.charset or "utf-8").lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise bad_request("the body must be UTF-8 JSON")
    raw = await request.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request("the body must be UTF-8 JSON") from exc
    if _depth(text) > MAX_DEPTH:
        raise bad_request(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    try:
        body = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise bad_request("body must be JSON") from exc
    if not isinstance(body, dict):
        raise bad_request("body must be a JSON object")
    return body
