"""Removing personal data from questions the assistant could not answer, before they are stored.

What goes: e-mail addresses, web addresses, identity numbers, phone numbers and any other run of
four or more digits, dates, and names where they can be detected (after "my name is", "jeg heter",
"اسمي", "ስመይ" and the like, and capitalised Latin words in the middle of a sentence that are not
known service or place names). What is kept is enough to see what was asked. It errs on the side
of removing too much: a lost word costs an editor a guess, a kept name costs a family's privacy.
"""
from __future__ import annotations

import re
from functools import lru_cache

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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

NAME, NUMBER, EMAIL_MARK, LINK, DATE_MARK = "[name]", "[number]", "[e-mail]", "[link]", "[date]"


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
    return " ".join(value.split())
