"""The history list every staff edit page shares: versions newest first, each with who, when and
why, what changed from the one before (a line diff per field), and a form to restore it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from aiohttp import web


@dataclass(frozen=True)
class HistoryEntry:
    version_id: int
    created_at: datetime
    author: str
    reason: str
    changes: list[tuple[str, list[str]]]  # (field, diff lines) from the previous version
    details: list[str] = field(default_factory=list)  # shown between author and reason, e.g. a status


def history_list(csrf: str, entries: list[HistoryEntry], labels: dict[str, str], restore_action: str,
                 language: str | None = None) -> str:
    """``<ol>`` of the versions; the newest is the one in force, the others can be restored."""
    lang = f' lang="{escape(language)}"' if language else ""
    items = []
    for number, entry in enumerate(entries):
        diff_html = "".join(f'<h4>{escape(labels.get(name, name))}</h4><pre class="diff"{lang}>'
                            + "\n".join(escape(line) for line in lines) + "</pre>" for name, lines in entry.changes)
        restore = "" if number == 0 else (
            f'<form method="post" action="{escape(restore_action)}"><input type="hidden" name="csrf" value="{escape(csrf)}">'
            f'<input type="hidden" name="version" value="{entry.version_id}">'
            f'<label for="r-{entry.version_id}">Begrunnelse</label> <input id="r-{entry.version_id}" name="reason" required minlength="3"> '
            f'<button type="submit">Gjenopprett versjon {entry.version_id}</button></form>')
        meta = " · ".join(escape(part) for part in (entry.created_at.strftime("%d.%m.%Y %H:%M"), entry.author, *entry.details, entry.reason))
        items.append(f"<li><h3>Versjon {entry.version_id}{' (gjeldende)' if number == 0 else ''}</h3>"
                     f"<p>{meta}</p>{diff_html}{restore}</li>")
    return f'<ol reversed>{"".join(items)}</ol>'


def version_to_restore(form) -> int:
    """The version number a restore form sent."""
    text = str(form.get("version", ""))
    if not (text.isdigit() and len(text) <= 9):  # a number the database can hold
        raise web.HTTPBadRequest(text="versjon må være et tall")
    return int(text)
