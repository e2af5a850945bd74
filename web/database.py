"""The web app's one way to the database: SQLAlchemy is synchronous, so work runs in a thread."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from knowledge.db import engine_for, new_session


def in_db(request: web.Request, work: Callable[[Session], Any]) -> Awaitable[Any]:
    """Run ``work(session)`` in a thread, commit, and return its result."""
    database_url = request.app["settings"].database_url

    def run():
        with new_session(engine_for(database_url)) as session:
            result = work(session)
            session.commit()
            return result

    return asyncio.to_thread(run)
