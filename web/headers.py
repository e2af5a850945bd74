"""Security headers for every response, by area, in one place.

Staff pages and the API may not be framed, sniffed, cached or fetch anything from elsewhere; the
demo page loads only its own files; the widget's script and styles may be embedded by the
municipality's pages on another origin. No response names the server's software or version.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
NOT_FRAMED = {"X-Frame-Options": "DENY"}
POLICIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("/staff", {**NOT_FRAMED, "Cache-Control": "no-store",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'"}),
    ("/api/", {**NOT_FRAMED, "Cache-Control": "no-store",
               "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}),
    ("/static/widget/", {"Cross-Origin-Resource-Policy": "cross-origin"}),  # embedded on the municipality's pages
    ("/widget/", {"Cross-Origin-Resource-Policy": "cross-origin"}),
    ("/health", {"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}),
    ("/", {**NOT_FRAMED, "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                                  "object-src 'none'; base-uri 'none'"}),
)


def headers_for(path: str) -> dict[str, str]:
    policy = next(headers for prefix, headers in POLICIES if path.startswith(prefix))
    return {**COMMON, **policy}


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The area's headers on every answer, errors (raised as HTTP exceptions) included."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        error.headers.update(headers_for(request.path))
        raise
    response.headers.update(headers_for(request.path))
    return response


async def no_server_name(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "Veiviser"


def add_headers(app: web.Application) -> None:
    app.middlewares.append(security_headers)
    app.on_response_prepare.append(no_server_name)
