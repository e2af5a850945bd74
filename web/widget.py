"""The widget's labels, compiled for the browser from the gettext catalogs.

GET /widget/i18n/<lang>.json answers the labels the widget uses (the ``_("…")`` calls in
static/widget/veiviser.js), translated, plus the text direction, the phone number to offer
when the assistant cannot be reached, and how long a conversation is kept.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from aiohttp import web

from knowledge.config import load_settings
from knowledge.i18n import translator
from knowledge.languages import ANSWER_LANGUAGES
from knowledge.offline import offline_contact
from knowledge.replies import format_phone

WIDGET_JS = Path(__file__).resolve().parent / "static" / "widget" / "veiviser.js"
_LABEL = re.compile(r'\b_\("((?:[^"\\]|\\.)*)"\)')


@lru_cache(maxsize=1)
def widget_labels() -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.encode().decode("unicode_escape") if "\\" in m else m
                               for m in _LABEL.findall(WIDGET_JS.read_text(encoding="utf-8"))))


def labels_for(language: str) -> dict:
    tr = translator(language)
    contact = offline_contact(tr.language)
    return {"language": tr.language, "dir": "rtl" if tr.rtl else "ltr",
            "messages": {label: tr.gettext(label) for label in widget_labels()},
            "phone": format_phone(contact.phone or ""),
            # The widget forgets a conversation the assistant has deleted (retention), and says so.
            "conversation_hours": load_settings().conversation_retention_hours}


async def labels(request: web.Request) -> web.Response:
    language = request.match_info["language"]
    if language not in (*ANSWER_LANGUAGES, "nn"):
        raise web.HTTPNotFound(text=f"no widget labels for {language!r}; languages: {', '.join(ANSWER_LANGUAGES)}")
    return web.json_response(labels_for(language), headers={"Cache-Control": "public, max-age=300"})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/widget/i18n/{language}.json", labels)
