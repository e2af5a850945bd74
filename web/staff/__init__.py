"""The staff area under /staff, one module per area, every page a Jinja2 template (``pages``):

- ``auth``: login, sessions, roles, the one CSRF check, the start page;
- ``applications``: the applications families sent, with PDF and JSON;
- ``chat``: live chats with families and the call-back requests;
- ``content``: the services' texts per language and what needs translating;
- ``records``: contact points, eligibility parameters and service settings;
- ``history``: the one history and restore view every versioned record shares;
- ``transfer``: export and import of the knowledge base;
- ``users``: staff accounts;
- ``insight``: the dashboard; ``unanswered``: the questions Veiviser could not answer.
"""
from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    from web.staff import applications, auth, chat, content, insight, pages, records, transfer, unanswered, users

    pages.setup(app)
    auth.add_routes(app)  # first: its middleware finds the signed-in user for every other page
    applications.add_routes(app)
    chat.add_routes(app)
    insight.add_routes(app)
    unanswered.add_routes(app)
    records.add_routes(app)  # before the service texts: /staff/services/{key}/settings would match {language}
    content.add_routes(app)
    transfer.add_routes(app)
    users.add_routes(app)
