"""Work the web app does on its own: retrying deliveries from the outbox, ending live chats no
case worker will take, and the retention job.

Both run in a thread (SQLAlchemy is synchronous) so the chat proxy is never blocked. A failure
is logged (without personal data) and tried again on the next round; it never stops the app.
Several web processes may run this at once: each outbox row is claimed by one of them
(``delivery.claim_due``), and the retention job's deletes are the same whoever runs them.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from aiohttp import web

from knowledge import retention
from knowledge.applications.delivery import deliver_due
from knowledge.config import Settings
from knowledge.db import engine_for, new_session
from knowledge.handoff import live_chat

logger = logging.getLogger(__name__)
#: Conversations are kept for hours, not days: the job runs often enough to keep that promise.
PURGE_EVERY = timedelta(hours=1)


def deliver_round(settings: Settings) -> dict[str, int]:
    with new_session(engine_for(settings.database_url)) as session:
        return deliver_due(session, settings)


def close_round(settings: Settings) -> int:
    """Live chats no one will take (the office closed, no case worker left) end, and the family is told."""
    with new_session(engine_for(settings.database_url)) as session:
        ended = live_chat.close_unattended(session)
        session.commit()
        return ended


def purge_round(settings: Settings) -> dict[str, int]:
    with new_session(engine_for(settings.database_url)) as session:
        return retention.purge(session, settings)


async def _loop(app: web.Application) -> None:
    settings: Settings = app["settings"]
    last_purge = datetime.min.replace(tzinfo=timezone.utc)
    while True:
        try:
            counts = await asyncio.to_thread(deliver_round, settings)
            if counts["sent"] or counts["failed"]:
                logger.info("outbox: %d sent, %d to retry", counts["sent"], counts["failed"])
            ended = await asyncio.to_thread(close_round, settings)
            if ended:
                logger.info("live chat: %d ended with no case worker to take or answer them", ended)
            if datetime.now(timezone.utc) - last_purge >= PURGE_EVERY:
                counts = await asyncio.to_thread(purge_round, settings)
                last_purge = datetime.now(timezone.utc)
                logger.info("retention: %s", retention.summary(counts))
        except Exception as error:  # noqa: BLE001 - the next round tries again
            logger.error("background round failed: %s", type(error).__name__)
        await asyncio.sleep(settings.outbox_interval_seconds)


async def background_work(app: web.Application):
    """aiohttp cleanup context: start the loop with the app, stop it with the app."""
    task = asyncio.create_task(_loop(app))
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
