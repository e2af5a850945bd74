"""Finding listed words in a family's message, one way for every word list (diagnoses, words
about a child or a family), with spaCy's rule-based ``Matcher`` on the normalised text.

How a listed word matches a word of the message, by script:
- Latin: a word of three letters or fewer must be the whole word ("cp", "mor" but not "morgen");
  a longer one may begin a word ("autis" → "autisme", "autistic"; "hjelp" → "hjelpemidler").
- Arabic: the whole word, after the clitics و ف ب ل ك and the article ال / لل, and before the
  common suffixes (pronouns, plurals): "توحد" → "بالتوحد", "اعاقت" → "اعاقته", but "معاق" does
  not match "معاقبه" (punishment).
- Ethiopic: anywhere inside a word, since Tigrinya attaches prepositions and pronouns (ብ-, ን-, -ኡ).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from knowledge.eligibility.answers import normalise
from knowledge.story import MAX_CHARS

ARABIC_CLITICS = "(?:و|ف|ب|ل|ك)?(?:ال|لل)?"
ARABIC_SUFFIXES = "(?:ه|ها|هم|هن|ي|ني|نا|ك|كم|ات|ين|ون|يه|يها|يين|تي|ته|تها|تهم|تنا|تك|تين)?"
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_ETHIOPIC = re.compile(r"[\u1200-\u139F]")


def token_pattern(word: str) -> dict[str, Any]:
    """One listed word as a spaCy token pattern on the normalised text."""
    escaped = re.escape(word)
    if _ARABIC.search(word):
        return {"NORM": {"REGEX": f"^{ARABIC_CLITICS}{escaped}{ARABIC_SUFFIXES}$"}}
    if _ETHIOPIC.search(word):
        return {"NORM": {"REGEX": escaped}}
    if len(word) <= 3:
        return {"NORM": word}
    return {"NORM": {"REGEX": f"^{escaped}"}}


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("xx")


class TermMatcher:
    """Whether a message holds any of ``terms`` (each one or more words)."""

    def __init__(self, terms: Iterable[str]) -> None:
        from spacy.matcher import Matcher

        self._matcher = Matcher(_tokenizer().vocab)
        patterns = [[token_pattern(word) for word in normalise(str(term)).split()] for term in terms]
        self._matcher.add("term", [pattern for pattern in patterns if pattern])

    def found_in(self, text: str) -> bool:
        value = normalise((text or "")[:MAX_CHARS])
        return bool(value) and bool(self._matcher(_tokenizer().make_doc(value)))
