"""Fixed strings of the bot, widget and staff pages, from gettext catalogs in ``locales/``.

Catalogs are read with Babel straight from the .po files (nothing to compile). Nynorsk falls
back to Bokmål; a string missing in a catalog falls back to English rather than vanishing, and
a test makes sure that never ships.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

from knowledge.languages import answer_language

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

#: Babel locale per answer language (Bokmål is "nb"; Tigrinya as written in Eritrea).
BABEL_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB", "ar": "ar", "ti": "ti_ER"}

FSI, PDI = "\u2068", "\u2069"


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalog(language: str) -> dict[str, str]:
    path = po_path(language)
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language if language != "ti" else "ti")
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def mark(text: str) -> str:
    """Marks a text for the catalogs where it is defined (import it as ``_`` so pybabel finds it);
    it is translated later, when shown, in the conversation's language."""
    return text


@dataclass(frozen=True)
class Translator:
    """Translates English message ids into one answer language."""

    language: str

    @property
    def locale(self) -> Locale:
        return Locale.parse(BABEL_LOCALES[self.language])

    @property
    def rtl(self) -> bool:
        return self.locale.character_order == "right-to-left"

    def gettext(self, message: str, **values: object) -> str:
        text = _catalog(self.language).get(message) or _catalog("en").get(message) or message
        return text.format(**values) if values else text

    def isolate(self, text: str) -> str:
        """Wrap Latin names and numbers so they display in order inside right-to-left text."""
        return f"{FSI}{text}{PDI}" if self.rtl and text else text


def translator(language: str | None) -> Translator:
    return Translator(answer_language(language))
