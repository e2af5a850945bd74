"""Staff accounts (admins): the list, a new user, and deactivation, which signs the user out
everywhere at once."""
from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.orm import Session

from knowledge.staff import sessions
from knowledge.staff.accounts import AccountError, create_user
from knowledge.staff.models import StaffUser
from web.database import in_db
from web.staff.auth import check_csrf, require
from web.staff.pages import message, render

logger = logging.getLogger(__name__)


def _all_users(session: Session) -> list[StaffUser]:
    return session.query(StaffUser).order_by(StaffUser.username).all()  # sessions keep loaded values after commit


async def _page(request: web.Request, problem: str = "", done: str = "", status: int = 200, typed: dict | None = None) -> web.Response:
    """The list and the new-user form; after a refusal the form keeps the name and role typed (never the password)."""
    users = await in_db(request, _all_users)
    return render(request, "staff/users.html", status=status, title="Brukere", users=users, problem=problem, done=done,
                  typed=typed or {"username": "", "role": ""})


@require("admin")
async def users_page(request: web.Request) -> web.Response:
    return await _page(request)


@require("admin")
async def create_user_page(request: web.Request) -> web.Response:
    form = await check_csrf(request)

    def create(session):
        return create_user(session, str(form.get("username", "")), str(form.get("password", "")), str(form.get("role", ""))).username

    try:
        name = await in_db(request, create)
    except AccountError as error:
        typed = {"username": str(form.get("username", ""))[:64], "role": str(form.get("role", ""))}
        return await _page(request, problem=str(error), status=422, typed=typed)
    logger.info("staff: user created by=%s", request["user"]["user"])
    return await _page(request, done=f"Brukeren {name} er opprettet.")


@require("admin")
async def deactivate_user_page(request: web.Request) -> web.Response:
    await check_csrf(request)
    target = int(request.match_info["id"])
    if target == request["user"]["user"]:
        raise message(request, web.HTTPBadRequest, "Ikke deaktivert", "Du kan ikke deaktivere deg selv.", back="/staff/users")

    def deactivate(session):
        found = session.get(StaffUser, target)
        if found is None:
            return False
        found.active = False
        sessions.end_all(session, target)  # signed out everywhere, at once
        return True

    if not await in_db(request, deactivate):
        raise message(request, web.HTTPNotFound, "Fant ikke brukeren", "Det finnes ingen bruker med det nummeret.", back="/staff/users")
    raise web.HTTPSeeOther("/staff/users")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/users", users_page)
    app.router.add_post("/staff/users", create_user_page)
    app.router.add_post(r"/staff/users/{id:\d{1,9}}/deactivate", deactivate_user_page)  # no id too big for the database
