"""The family's or staff member's address, as the throttles count it.

Behind the municipality's reverse proxy every request comes from the proxy; counting that address
would put all families under one chat limit and let one person's wrong passwords pause every
staff login. When the connection comes from an address listed in ``VEIVISER_TRUSTED_PROXIES``, the
address that proxy saw (the last entry of ``X-Forwarded-For``) counts instead; from anyone else the
header is ignored, so a client cannot choose its own address.
"""
from __future__ import annotations

import ipaddress

from aiohttp import web


def client_address(request: web.Request) -> str:
    remote = request.remote or "unknown"
    if remote not in request.app["settings"].trusted_proxies:
        return remote
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-1]))
    except ValueError:
        return remote
