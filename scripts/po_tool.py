"""Maintain the gettext catalogs: ``python scripts/po_tool.py update`` merges new message ids
from locales/messages.pot into every language's messages.po (keeping translations), and
``python scripts/po_tool.py write LANG FILE.json`` writes translations from a JSON mapping
{msgid: msgstr}; Arabic and Tigrinya entries get the ``machine-drafted`` flag until a
qualified translator has reviewed them (then remove the flag).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
LANGUAGES = ("nb", "en", "ar", "ti")
MACHINE_DRAFTED = {"ar", "ti"}
#: pybabel init writes a Tigrinya plural rule that contradicts CLDR; this is CLDR's.
PLURAL_FORMS = {"ti": "nplurals=2; plural=(n > 1);"}


def po_file(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    path = po_file(language)
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=language)
    return Catalog(locale=language, project="Veiviser", domain="messages")


def save(language: str, catalog: Catalog) -> None:
    path = po_file(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    if language in PLURAL_FORMS:
        catalog._num_plurals, catalog._plural_expr = 2, "(n > 1)"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)


def update() -> None:
    for language in LANGUAGES:
        with (LOCALES / "messages.pot").open("rb") as handle:
            template = read_po(handle)  # read anew: update() shares message objects
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True)
        if language == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        save(language, catalog)


def write(language: str, mapping_file: str) -> None:
    catalog = load(language)
    mapping = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    for message in catalog:
        if message.id in mapping:
            message.string = mapping[message.id]
            if language in MACHINE_DRAFTED:
                message.flags.add("machine-drafted")
    save(language, catalog)


if __name__ == "__main__":
    if sys.argv[1:2] == ["update"]:
        update()
    elif sys.argv[1:2] == ["write"] and len(sys.argv) == 4:
        write(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
