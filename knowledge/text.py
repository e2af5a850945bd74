"""Text folding shared by the NLU components, the answer reader and the evaluation judge.

Arabic is written with and without diacritics and hamza, and with Arabic-Indic digits; folding
makes those spellings meet. One definition, so the places that read Arabic cannot drift apart.
"""
from __future__ import annotations

import re

_TASHKEEL = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # diacritics, superscript alef, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits."""
    return text.translate(_DIGITS)


def fold_arabic(text: str) -> str:
    """Drop tashkeel and tatweel, fold hamza/alef variants, ى → ي, ة → ه; digits to ASCII."""
    return ascii_digits(_TASHKEEL.sub("", text).translate(_ARABIC_LETTERS))
