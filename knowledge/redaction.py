"""Removing personal data from questions the assistant could not answer, before they are stored.

What goes: e-mail addresses, web addresses, identity numbers, phone numbers and any other run of
four or more digits, dates, names where they can be detected (after "my name is", "jeg heter",
"اسمي", "ስመይ" and the like, and capitalised Latin words in the middle of a sentence that are not
known service or place names), and then every word the assistant does not know. Known words are
the training data's (only those it writes in lower case, so the names in its examples are not),
the knowledge base's, and spaCy's common words for nb, en, ar and ti: a lower-case or all-caps
name, or a name in Arabic or Ethiopic script, is not among them. What is kept is enough to see
what was asked. It errs on the side of removing too much: a lost word costs an editor a guess,
a kept name costs a family's privacy.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from knowledge.text import fold_arabic

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")  # "ola@localhost" too
URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
DIGITS = re.compile(r"(?:\+?\d[\d\s().-]{2,}\d)")  # phone and identity numbers, with spaces or dashes
NAME_CUES = re.compile(
    r"\b((?i:my name is|i am called|his name is|her name is|jeg heter|eg heiter|han heter|hun heter|ho heiter|navnet mitt er|"
    r"namnet mitt er|navnet hans er|navnet hennes er|sønnen min heter|dattera mi heter|datteren min heter|sonen min heiter|"
    r"dotter mi heiter|is called|heter|heiter))\s+([^\W\d_][\w'’-]*(?:\s+[A-ZÆØÅ][\w'’-]*)*)")
ARABIC_NAME_CUES = re.compile(r"(اسمي|اسمه|اسمها|اسم ابني|اسم ابنتي|اسم بنتي)\s+(\S+)(\s+\S+)?")
ETHIOPIC_NAME_CUES = re.compile(r"(ስመይ|ሽመይ|ስሙ|ስማ|ስም ወደይ|ስም ጓለይ)\s+(\S+)(\s+\S+)?")
CAPITALISED = re.compile(r"(?<=[a-zæøåäöü,;:]\s)([A-ZÆØÅ][a-zæøåäöü'’-]+(?:\s+[A-ZÆØÅ][a-zæøåäöü'’-]+)*)")
#: Capitalised words that are not names of people: places, offices, services, languages.
KNOWN_WORDS = frozenset(w.casefold() for w in (
    "Trondheim", "Norge", "Norway", "Oslo", "NAV", "HelsaMi", "BPA", "SFO", "Starthjelp", "Veiviser", "English", "Norwegian", "Arabic", "Tigrinya", "Norsk", "Engelsk", "Arabisk",
    "Tigrinja", "Kommune", "Kommunen", "Down", "Downs", "Syndrome", "Autism", "Autisme", "ADHD", "CP", "Eritrea", "Syria",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mandag", "Tirsdag", "Onsdag", "Torsdag",
    "Fredag", "Lørdag", "Søndag", "I", "Is", "Can", "What", "How", "Hva", "Hvordan", "Kan", "Vi", "Jeg", "Eg",
))

NAME, NUMBER, EMAIL_MARK, LINK, DATE_MARK, UNKNOWN = "[name]", "[number]", "[e-mail]", "[link]", "[date]", "[…]"
MARKERS = (NAME, NUMBER, EMAIL_MARK, LINK, DATE_MARK, UNKNOWN)
MARKER = re.compile("|".join(re.escape(marker) for marker in MARKERS))
ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = ROOT / "nlu_data"
WORD = re.compile(r"[^\W\d_]+")
#: Words of a script without capital letters count as known from the training data only when they
#: occur this often there (a name in one example does not).
MIN_UNCASED_OCCURRENCES = 2


@lru_cache(maxsize=1)
def _service_words() -> frozenset[str]:
    """Words of the service titles and contact points' names, so "Avlastning", "Ledsagerbevis" or an
    office's name are not taken for names of people."""
    import yaml

    from knowledge.seed import CONTENT_DIR

    words: set[str] = set()
    for path in (CONTENT_DIR / "services").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for content in (data.get("content") or {}).values():
            words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", str(content.get("title", ""))))
    contacts = yaml.safe_load((CONTENT_DIR / "contacts.yml").read_text(encoding="utf-8"))["contacts"]
    for contact in contacts:
        for content in (contact.get("content") or {}).values():
            words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", str(content.get("name", ""))))
    return frozenset(words)


def _fold(word: str) -> str:
    return fold_arabic(word.casefold())


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class _Words:
    """Words as a text uses them: those written in lower case somewhere, and (in scripts without
    case) how often each occurs. A word seen only capitalised is likely a name and is not kept."""

    def __init__(self) -> None:
        self.lower: set[str] = set()
        self.uncased: Counter[str] = Counter()

    def add(self, text: str) -> None:
        for word in set(WORD.findall(text)):
            if word.lower() == word.upper():
                self.uncased[_fold(word)] += 1
            elif word.islower():
                self.lower.add(_fold(word))

    def known(self) -> set[str]:
        return self.lower | {word for word, count in self.uncased.items() if count >= MIN_UNCASED_OCCURRENCES}


def _training_words() -> set[str]:
    """Words of the NLU examples (a name in one example, such as "Elias", is not among them)."""
    import yaml

    words = _Words()
    for path in NLU_DIR.glob("*/*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                words.add(re.sub(r"\[([^\]]*)\][({][^)}]*[)}]", r"\1", line.lstrip("- ")))
    return words.known()


def _knowledge_words() -> set[str]:
    """Words of the knowledge base's texts (services, signposts, contact points, word lists)."""
    import yaml

    from knowledge.seed import CONTENT_DIR

    words = _Words()
    for path in [*CONTENT_DIR.rglob("*.yml"), ROOT / "knowledge" / "eligibility" / "stated_terms.yml"]:
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            words.add(text)
    return words.known()


def _common_words() -> set[str]:
    from spacy.lang.ar.stop_words import STOP_WORDS as ARABIC
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.nb.stop_words import STOP_WORDS as NORWEGIAN
    from spacy.lang.ti.stop_words import STOP_WORDS as TIGRINYA

    return {_fold(word) for words in (ARABIC, ENGLISH, NORWEGIAN, TIGRINYA) for word in words}


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The words a redacted question may keep."""
    return frozenset(_training_words() | _knowledge_words() | _common_words() | {_fold(w) for w in KNOWN_WORDS})


def keep_known_words(text: str) -> str:
    """Every word the assistant does not know becomes […]; markers, numbers and punctuation stay."""
    known = vocabulary()
    pieces = MARKER.split(text)
    markers = MARKER.findall(text) + [""]
    value = "".join(WORD.sub(lambda m: m.group(0) if _fold(m.group(0)) in known else UNKNOWN, piece) + marker
                    for piece, marker in zip(pieces, markers, strict=True))
    return re.sub(r"\[…\](?:[\s'’-]*\[…\])+", UNKNOWN, value)


def _keep(word: str) -> bool:
    parts = word.split()
    return all(p.casefold() in KNOWN_WORDS or p.casefold() in _service_words() for p in parts)


def redact(text: str) -> str:
    """The question with personal data replaced by markers such as [name] and [number]."""
    value = EMAIL.sub(EMAIL_MARK, text or "")
    value = URL.sub(LINK, value)
    value = DATE.sub(DATE_MARK, value)
    value = DIGITS.sub(lambda m: NUMBER if sum(ch.isdigit() for ch in m.group(0)) >= 4 else m.group(0), value)
    value = NAME_CUES.sub(lambda m: m.group(0) if _keep(m.group(2)) else f"{m.group(1)} {NAME}", value)
    value = ARABIC_NAME_CUES.sub(lambda m: f"{m.group(1)} {NAME}", value)
    value = ETHIOPIC_NAME_CUES.sub(lambda m: f"{m.group(1)} {NAME}", value)
    value = CAPITALISED.sub(lambda m: m.group(0) if _keep(m.group(0)) else NAME, value)
    return " ".join(keep_known_words(value).split())
