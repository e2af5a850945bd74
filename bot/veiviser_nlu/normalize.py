"""Text normalisation shared by the tokenizer and the service recogniser.

Why: word features must not split diacritised Arabic into letters, and Norwegian words typed
without æøå ("stottekontakt") should still meet their proper spelling.
"""
from __future__ import annotations

import unicodedata

import regex

from knowledge.text import fold_arabic

_NORDIC_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "é": "e"})
#: A token: letters of one script with their combining marks, or digits. Splitting where the script
#: changes separates a Tigrinya or Arabic prefix from a Norwegian name ("ንBPA", "بالBPA").
TOKEN = regex.compile(r"[\p{Latin}\p{M}]+|[\p{Arabic}\p{M}]+|[\p{Ethiopic}\p{M}]+|[\p{L}\p{M}]+|\p{N}+")


def normalize(text: str) -> str:
    """NFKC, casefold, Arabic letter and digit folding, Nordic letters folded to ASCII."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return fold_arabic(text).translate(_NORDIC_FOLD)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) over the original text."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text or "")]


def normalized_tokens(text: str) -> list[str]:
    return [normalize(t) for t, _, _ in tokens(text)]
