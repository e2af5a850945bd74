"""Every fixed string exists in nb, en, ar and ti, keeps its placeholders, and the catalog
template matches the code."""
from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from knowledge.i18n import LOCALES_DIR, po_path, translator
from tests.conftest import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
NORWEGIAN_NAMES = ("Helse- og velferdskontor 0–18 år", "Helse- og velferdskontor Falkenborg", "Transporttjenesten",
                   "hjelpestønad", "støttekontakt", "Starthjelp", "Veiviser", "NAV", "BPA", "SFO", "fødselsnummer",
                   "D-nummer", "HelsaMi", "Amira Haddad", "encrypted", "koordinator", "name@example.no")


def _catalog(language: str):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def _code_message_ids() -> set[str]:
    ids = set()
    method_map = [("knowledge/**.py", "python"), ("actions/**.py", "python"), ("web/**.py", "python"),
                  ("web/static/widget/**.js", "javascript")]
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords={"gettext": None, "_": None}):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_template_is_up_to_date_with_the_code():
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert _code_message_ids() == template, "run pybabel extract (see README) and scripts/po_tool.py update"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_fixed_string_is_translated(language):
    catalog = _catalog(language)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not missing, f"{language} lacks: {missing}"
    assert {m.id for m in catalog if m.id} >= _code_message_ids()


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    for message in _catalog(language):
        if message.id:
            assert _placeholders(message.id) == _placeholders(message.string), (language, message.id)


@pytest.mark.parametrize("language,script", [("ar", "ARABIC"), ("ti", "ETHIOPIC")])
def test_machine_drafted_translations_are_marked_and_in_script(language, script):
    for message in _catalog(language):
        if not message.id:
            continue
        assert "machine-drafted" in message.flags, f"{language}: {message.id!r} not marked for review"
        # Norwegian names stay in Latin script on purpose; the rest must be in the language's script.
        kept = re.sub(r"\{\w+\}|" + "|".join(map(re.escape, NORWEGIAN_NAMES)), "", message.string)
        letters = [c for c in kept if c.isalpha()]
        assert letters and sum(script in unicodedata.name(c, "") for c in letters) / len(letters) > 0.8


def test_tigrinya_plural_rule_follows_cldr():
    assert _catalog("ti").plural_forms == "nplurals=2; plural=(n > 1);"


def test_nynorsk_uses_bokmal_and_arabic_isolates_latin():
    assert translator("nn").language == "nb"
    assert translator("ar").isolate("94 83 72 85") == "\u206894 83 72 85\u2069"
    assert translator("nb").isolate("94 83 72 85") == "94 83 72 85"
    assert translator("ar").rtl and not translator("ti").rtl
