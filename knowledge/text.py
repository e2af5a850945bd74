"""Text folding shared by the NLU components, the answer reader and the evaluation judge, and the
one-typo comparison the service recogniser and the language detector use for Norwegian names.

Arabic is written with and without diacritics and hamza, and with Arabic-Indic digits; folding
makes those spellings meet. One definition, so the places that read Arabic cannot drift apart.
"""
from __future__ import annotations

import re
import unicodedata

#: The longest message the assistant takes: the widget stops typing and pasting there, and the web
#: app refuses a longer one (tests/web check that both say the same number).
MAX_MESSAGE_CHARS = 4000
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Control characters other than tab and newline, and the C1 range; they carry nothing a family types.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_TASHKEEL = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # diacritics, superscript alef, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


#: Direction overrides, embeddings and isolates (U+202A–E, U+2066–9). Typed into a name or a
#: message they can reverse what a reader sees around them ("gpj.exe"); Arabic and Tigrinya need
#: none of them (the marks U+200E/F stay). Shown as the replacement character, so a reader sees
#: that something was there.
_DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd")


def neutral_direction(text: str) -> str:
    """``text`` with its direction controls shown as U+FFFD, for a page someone else reads."""
    return text.translate(_DIRECTION_CONTROLS)


def clean_message(text: str) -> str:
    """A message as it enters the assistant, cleaned once at the door: a broken emoji's lone
    surrogate becomes the replacement character (it cannot be encoded, logged or stored), control
    characters go, carriage returns become newlines, and the text is in Unicode NFC."""
    text = _LONE_SURROGATE.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits."""
    return text.translate(_DIGITS)


def fold_arabic(text: str) -> str:
    """Drop tashkeel and tatweel, fold hamza/alef variants, ى → ي, ة → ه; digits to ASCII."""
    return ascii_digits(_TASHKEEL.sub("", text).translate(_ARABIC_LETTERS))


def within_one_edit(a: str, b: str) -> bool:
    """At most one letter added, removed or replaced ("avlasning", "omsorgstonad")."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = mismatches = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            mismatches += 1
            if mismatches > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return mismatches + (len(b) - j) + (len(a) - i) <= 1
