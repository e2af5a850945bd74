"""Reading a family's own answers: yes / no / "don't know", numbers in words or digits (ASCII,
Arabic-Indic, Persian), in Norwegian, English, Arabic and Tigrinya. Facts stated in a family's own
story are read by ``stated.py``.

The chat form uses this so it can accept natural answers and ask again when it cannot use one.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from knowledge.text import fold_arabic

UNREADABLE = object()  # the answer could not be understood: ask again, explaining

_PUNCTUATION = re.compile(r"[^\w\s,.]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = fold_arabic(text)
    text = text.replace("።", " ").replace("፧", " ").replace("፣", " ").replace("،", ",").replace("؟", " ")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def _phrases(*items: str) -> tuple[str, ...]:
    return tuple(sorted({normalise(item) for item in items}, key=len, reverse=True))


DONT_KNOW = _phrases(
    "vet ikke", "veit ikke", "veit ikkje", "vet ikkje", "aner ikke", "usikker", "ikke sikker", "ikkje sikker", "vet ikke helt", "vet itj", "ingen anelse", "har ingen anelse", "aner ikkje",
    "ikke godt å si", "vanskelig å si", "vanskeleg å seie",
    "don't know", "dont know", "do not know", "not sure", "no idea", "no clue", "hard to say", "dunno", "can't say", "cannot say", "unsure", "i'm not sure", "idk", "maybe", "kanskje",
    "لا اعرف", "لا أعرف", "ما بعرف", "ما اعرف", "مش عارف", "ما ادري", "لا ادري", "مدري", "معرفش", "ما اعرفش", "لست متاكد", "مو متاكد", "مش متأكد", "ما بعرف والله", "ربما",
    "ኣይፈልጥን", "ኣይፈለጥኩን", "እንድዒ", "ርግጸኛ ኣይኮንኩን", "ኣይፈልጥን እየ", "ምናልባት",
)
YES = _phrases(
    "ja", "jo", "jepp", "japp", "ja da", "jada", "stemmer", "det stemmer", "riktig", "jau", "ja, det gjør vi", "ja det",
    "yes", "yeah", "yep", "yup", "sure", "correct", "right", "y", "yes we do", "yes she does", "yes he does", "of course",
    "نعم", "ايوه", "ايوا", "اي", "إي", "بلى", "صح", "اكيد", "أكيد", "طبعا", "اه", "آه", "نعم بالتأكيد",
    "እወ", "እወ እዩ", "እወይ", "ሓቂ", "ርግጽ", "እወ ኣሎ",
)
NO = _phrases(
    "nei", "nope", "nei da", "neida", "ikke", "ikkje", "nei det gjør vi ikke",
    "no", "nah", "not really", "n", "no we don't", "no she doesn't", "no he doesn't",
    "لا", "لأ", "كلا", "مو", "لا ابدا", "لا أبدا",
    "ኣይፋል", "ኣይኮነን", "የለን", "ኣይ", "ኣይፋልን",
)


#: "Stop the questions" typed as a whole message (the NLU intent ``stop`` catches longer ways of saying it).
STOP = _phrases(
    "stopp", "stop", "avbryt", "avslutt", "slutt", "glem det", "hopp over", "ferdig", "nok", "nok nå",
    "cancel", "quit", "exit", "end", "never mind", "nevermind", "forget it", "enough",
    "توقف", "قف", "الغاء", "إلغاء", "خلاص", "بس", "كفى", "انهاء", "وقف",
    "ኣቋርጽ", "ደው በል", "ደው ኣብል", "ኣቁም", "ይኣክል", "ኣብቅዕ",
)


def is_stop(text: str) -> bool:
    """The whole message asks to stop (so "stop asking about night help" is not read as a stop)."""
    value = " ".join(re.sub(r"[.,]", " ", normalise(text)).split())
    return value in STOP or any(value == f"{phrase} {tail}" for phrase in STOP for tail in ("please", "takk", "nå", "now"))


def _starts_with(text: str, phrase: str) -> bool:
    return text == phrase or text.startswith(phrase + " ") or text.startswith(phrase + ",")


def parse_yes_no(text: str) -> Any:
    """True, False, None ("don't know") or UNREADABLE."""
    value = " ".join(re.sub(r"[.,]", " ", normalise(text)).split())
    if not value:
        return UNREADABLE
    if any(phrase in value for phrase in DONT_KNOW):
        return None
    if any(_starts_with(value, phrase) for phrase in NO):
        return False
    if any(_starts_with(value, phrase) for phrase in YES):
        return True
    return UNREADABLE


#: Number words one to nineteen in the four languages (stated.py reads them in stories too).
UNIT_WORDS = {
    # Norwegian (nb/nn)
    "null": 0, "en": 1, "ein": 1, "ett": 1, "eitt": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7,
    "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16,
    "sytten": 17, "atten": 18, "nitten": 19,
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
    # Arabic (normalised spelling)
    "صفر": 0, "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4,
    "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8, "ثمان": 8, "تسعه": 9, "تسع": 9,
    "عشره": 10, "عشر": 10, "حداش": 11, "اطناش": 12,
    # Tigrinya
    "ሓደ": 1, "ክልተ": 2, "ሰለስተ": 3, "ኣርባዕተ": 4, "ሓሙሽተ": 5, "ሽዱሽተ": 6, "ሸውዓተ": 7, "ሸሞንተ": 8, "ትሽዓተ": 9, "ዓሰርተ": 10,
}
_TENS = {
    "tjue": 20, "tjuge": 20, "tretti": 30, "tredve": 30, "førti": 40, "femti": 50, "seksti": 60, "sytti": 70,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
    "ዕስራ": 20, "ሰላሳ": 30, "ኣርብዓ": 40, "ሓምሳ": 50,
}
_ARABIC_TEENS = {"احد عشر": 11, "اثنا عشر": 12, "اثني عشر": 12, "ثلاثه عشر": 13, "اربعه عشر": 14, "خمسه عشر": 15,
                 "سته عشر": 16, "سبعه عشر": 17, "ثمانيه عشر": 18, "تسعه عشر": 19}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


#: Words that may stand around a number in an answer ("tjueåtte timer i uka", "five years").
_FILLER = frozenset(normalise(w) for w in (
    "timer", "timar", "time", "hours", "hour", "i", "uka", "uken", "veka", "a", "per", "week", "the", "about", "ca", "cirka",
    "omtrent", "rundt", "år", "years", "year", "old", "gammel", "han", "hun", "ho", "er", "is", "she", "he", "it", "s",
    "ساعه", "ساعات", "في", "الاسبوع", "اسبوعيا", "سنه", "سنوات", "عمره", "عمرها", "تقريبا", "حوالي",
    "ሰዓት", "ኣብ", "ሰሙን", "ዓመት", "ዓመቱ", "ዓመታ", "እዩ", "እያ", "ኣቢሉ",
))


def _word_number(value: str) -> float | None:
    for phrase, number in _ARABIC_TEENS.items():
        value = value.replace(phrase, f" {number} ")
    # "tjueåtte", "twenty-eight", "ثمانية وعشرون", "ዕስራን ሸሞንተን"
    words = re.split(r"[\s\-]+", value)
    total, seen = 0.0, False
    for word in words:
        word = word.removeprefix("و") if word.startswith("و") and word[1:] in {**UNIT_WORDS, **_TENS} else word
        word = word.removesuffix("ን") if word.endswith("ን") and word[:-1] in {**UNIT_WORDS, **_TENS} else word
        if word.isdigit():
            total, seen = total + int(word), True
            continue
        for tens, tens_value in _TENS.items():
            if word.startswith(tens) and (word[len(tens):] in UNIT_WORDS or word == tens):
                total, seen = total + tens_value + UNIT_WORDS.get(word[len(tens):], 0), True
                break
        else:
            if word in UNIT_WORDS:
                total, seen = total + UNIT_WORDS[word], True
            elif word and word not in _FILLER:
                return None  # other words around it: not a plain number answer
    return total if seen else None


def parse_number(text: str) -> Any:
    """A number from digits or words; None for "don't know"; UNREADABLE otherwise."""
    value = normalise(text)
    if any(phrase in value for phrase in DONT_KNOW):
        return None
    digits = _NUMBER.findall(value)
    if len(digits) == 1:
        return float(digits[0].replace(",", "."))
    if len(digits) > 1:
        return UNREADABLE
    number = _word_number(value)
    return UNREADABLE if number is None else number


_MONTHS = re.compile(r"^(?:ca |about |omtrent |حوالي )?(\d+(?:[.,]\d+)?)\s*(?:mnd|måneder|måned|månader|månad|months?|mo|شهر|شهور|اشهر|ወርሒ|ኣዋርሕ)\b")
_NEWBORN = _phrases("nyfødt", "nyfødd", "newborn", "a newborn", "baby", "حديث الولاده", "رضيع", "ሓድሽ ውሉድ", "ህጻን")


def parse_age(text: str) -> Any:
    """Age in years; months ("8 måneder") become a fraction of a year, a newborn is 0."""
    value = normalise(text)
    if value in _NEWBORN:
        return 0.0
    months = _MONTHS.match(value)
    if months:
        return round(float(months.group(1).replace(",", ".")) / 12, 2)
    return parse_number(text)
