"""Which language a conversation is in.

Priority (DESIGN.md): an explicit choice > the script of the message (Ethiopic → ti,
Arabic → ar, even for one word, and whatever Norwegian or English words the message also holds) >
Arabic typed in Latin letters (answered in English, Arabic offered) > statistical detection, with
stickiness: a short message ("ok", "BPA", a number) never flips the language. Norwegian service names are removed before
statistical detection, because families write them inside English sentences.

The statistical detector was chosen by measurement (`make eval` prints the comparison):
lingua, restricted to the languages we expect, separates Bokmål, Nynorsk and English far
better than langdetect on short messages and needs no download at run time.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from knowledge.languages import ANSWER_LANGUAGES, INPUT_LANGUAGES
from knowledge.text import within_one_edit

TERMS_FILE = Path(__file__).resolve().parent / "content" / "norwegian_terms.yml"

_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_ETHIOPIC = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

#: Below this many letter-words a message is "short" and never flips the language.
MIN_WORDS_TO_SWITCH = 3
MIN_LETTERS_TO_SWITCH = 12
#: Minimum share of the statistical detector's confidence for its top language.
MIN_CONFIDENCE = 0.6
#: For a short first message, with nothing else to go on, a weaker guess beats the default.
FIRST_MESSAGE_CONFIDENCE = 0.65

#: One-word openers that statistical detectors get wrong ("Hei" → de, "ja" → fi); used only
#: when nothing else is known about the conversation.
OPENERS: dict[str, str] = {
    **dict.fromkeys(["hei", "heisann", "hallo", "hei hei", "god morgen", "god dag", "takk", "tusen takk",
                     "ja", "nei", "ha det", "morn", "hjelp"], "nb"),
    **dict.fromkeys(["hi", "hello", "hey", "good morning", "thanks", "thank you", "yes", "no", "bye",
                     "help"], "en"),
}


_ENGLISH_ONLY = frozenset(
    "the is are what how can we my you your get do does i of to and a an with where who when our "
    "son daughter need needs help there this that it have has be please want apply child kid".split()
)
_NORWEGIAN_ONLY = frozenset(
    "er og jeg eg vi hva kva hvordan korleis hvor kor mi mitt mine på til ikke ikkje det som å få "
    "har dere sønnen dattera datteren dotter barnet trenger treng hjelp søke søkje med om av noen "
    "nokon skal vil meg oss hei takk kan".split()
)

_NYNORSK_MARKERS = frozenset(
    "eg kva kven korleis kvifor ikkje noko nokon berre vere heim gjere sjølv søkje mykje dotter dottera "
    "dei deira kor frå fekk høyrer treng kjem sonen".split()
)
_BOKMAL_MARKERS = frozenset(
    "jeg hva hvem hvordan hvorfor ikke noe noen bare være hjem gjøre selv søke mye datter datteren "
    "de deres hvor fra fikk hører trenger kommer sønnen".split()
)


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def clean(text: str) -> str:
    """NFC-normalised text without control characters (pycld2 raises on them)."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text or ""))


#: A message with at least this many Arabic or Ethiopic letters is in that language, whatever
#: Latin words it also holds ("ወደይ needs avlastning og støttekontakt", "بدي BPA لابني").
MIN_SCRIPT_LETTERS = 2


def script_language(text: str) -> str | None:
    """ar or ti when the message has Arabic or Ethiopic letters (the more of the two), else None.

    Latin letters inside such a message are Norwegian service names, acronyms or English words
    the family uses; they do not make it a Norwegian or English message."""
    arabic = ethiopic = latin = 0
    for char in text:
        if not char.isalpha():
            continue
        if _in(_ETHIOPIC, char):
            ethiopic += 1
        elif _in(_ARABIC, char):
            arabic += 1
        elif char.isascii() or "LATIN" in unicodedata.name(char, ""):
            latin += 1
    best, count = ("ti", ethiopic) if ethiopic >= arabic else ("ar", arabic)
    return best if count >= MIN_SCRIPT_LETTERS else None


# --- Arabic in Latin letters ("arabizi") ------------------------------------------------------
#: Digits that stand for Arabic letters inside a Latin word (3 = ع, 7 = ح, 2 = ء, 5 = خ, 9 = ق).
_ARABIZI_DIGIT_WORD = re.compile(r"(?<![\w])(?=\w*[a-z])(?=\w*[235789])[a-z235789']{3,}(?![\w])", re.IGNORECASE)
_ARABIZI_WORDS = frozenset(
    "salam salaam marhaba mar7aba ahlan shu shou sho esh eish ana ibni ebni binti benti bnti walad waladi wlad awlad "
    "badi bade bidi biddi ana3 3andi 3ando 3anda 3ndi mumkin momken mumken lel lil wallah walla inshallah yalla "
    "habibi kifak kifik keefak ezay ezzay leh mish msh ma3 ma3o ma3ha mosa3ada musa3ada mosaada musaada 7ada 7ad "
    "shi kteer ktir shukran afwan 3ala ahel ahl ya3ni yani bas kaman kamaan abgha abi ab8a dayr dayir shinu "
    "wen wein fein ween 3ayez 3ayza 3awz".split())
#: Latin-letter words at least this share of which are Arabizi markers make a message Arabizi.
ARABIZI_MIN_SHARE = 0.3


def is_arabizi(text: str) -> bool:
    """Arabic typed in Latin letters: words with 3/7/2 for Arabic letters, or common Arabizi words."""
    words = re.findall(r"[a-z235789']+", text.casefold())
    letter_words_ = [w for w in words if any(ch.isalpha() for ch in w)]
    if len(letter_words_) < 2:
        return False
    digit_words = sum(1 for w in letter_words_ if _ARABIZI_DIGIT_WORD.fullmatch(w))
    markers = sum(1 for w in letter_words_ if w in _ARABIZI_WORDS or _ARABIZI_DIGIT_WORD.fullmatch(w))
    return (digit_words >= 1 and markers >= 2) or markers / len(letter_words_) >= ARABIZI_MIN_SHARE and markers >= 3


# --- requests to change the language ----------------------------------------------------------
#: A clause that asks for a language: "(please) (can you) answer/speak/write …", "do you speak …",
#: "kan du svare på …", "I would like answers in …", "ممكن تحكي …", "ብትግርኛ ተዛረበኒ".
_REQUEST_CLAUSE = re.compile(
    r"^(?:(?:please|pls|plz|kindly|vennligst|gjerne|hei|hi)\s+)*"
    r"(?:(?:can|could|would|will|kan|kunne|vil|kan)\s+(?:you|u|du|dere|de|we|vi|i|jeg|eg)\s+(?:please\s+|pls\s+)?)?"
    r"(?:answer|reply|respond|speak|talk|write|switch|change|use|continue|chat|"
    r"svar|svare|snakk|snakke|skriv|skrive|bytt|bytte|byt|fortsett|fortsette|tal|tala)\b"
    r"|^(?:do|does|can|could)\s+(?:you|u|anyone|someone)\s+(?:speak|understand|talk|write)\b"
    r"|^(?:snakker|svarer|forstår|skriver|snakkar|svarar|forstår)\s+(?:du|dere|de|ein|en|noen|nokon)\b"
    r"|^(?:i|we|jeg|vi|eg)\s+(?:want|would like|prefer|need|vil ha|vil|foretrekker|ønsker|ønskjer|treng|trenger)\s+"
    r"(?:(?:the|my|your|to get|å få|få)\s+)?(?:answers?|replies|reply|svar|svara|svarene|the chat|chatten|it)\b"
    r"|^(?:(?:ممكن|لو سمحت|لو سمحتي|من فضلك|بليز|رجاء|رجاءا|يا ريت)\s+)*"
    r"(?:تجاوب|تجاوبني|تجاوبيني|جاوب|جاوبني|جاوبيني|ترد|رد|ردي|تحكي|احكي|احكيلي|تتكلم|تكلم|تكلمي|كلمني|تكتب|اكتب|اكتبلي|"
    r"غير|غيري|حول|حولي|خليها|خلي|اريد|أريد|بدي|عايز|ودي|ابي|نبي)\b",
    re.IGNORECASE)
_TIGRINYA_REQUEST = re.compile(r"ተዛረብ|ተዛረቢ|ተዛረቡ|ተዛረበኒ|ተዛረብኒ|ተዛረቡኒ|መልሰለይ|መልሱለይ|መልሲ ሃበኒ|ጽሓፈለይ|ጽሓፉለይ|ቀይር|ቀይሪ")
_CLAUSE_BREAK = re.compile(r"[,;:،؛።፣፤.!?؟፧\n]+")
#: A message this short that names a language is a choice of language ("English please", "بالعربي").
SHORT_REQUEST_WORDS = 4


def is_language_request(text: str) -> bool:
    """The message asks to change the language, rather than naming one inside a sentence
    ("ለንደን ብዓዲ እንግሊዝ ትርከብ" is about London; "I speak some English" and "he learns English at
    school" tell something; "I need a Tigrinya interpreter" asks for a service)."""
    text = clean(text)
    if len(letter_words(text)) <= SHORT_REQUEST_WORDS or _TIGRINYA_REQUEST.search(text):
        return True
    clauses = (" ".join(part.split()).casefold() for part in _CLAUSE_BREAK.split(text))
    return any(_REQUEST_CLAUSE.match(clause) for clause in clauses if clause)


@lru_cache(maxsize=1)
def norwegian_terms() -> tuple[str, ...]:
    with TERMS_FILE.open(encoding="utf-8") as handle:
        terms = yaml.safe_load(handle)["terms"]
    return tuple(sorted({str(t).casefold() for t in terms}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _terms_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(term) for term in norwegian_terms())
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_NORDIC = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
#: Single-word names at least this long also match with one typo or without æøå ("omsorgstonad").
FUZZY_TERM_MIN_LENGTH = 7


@lru_cache(maxsize=1)
def _folded_single_terms() -> frozenset[str]:
    return frozenset(term.translate(_NORDIC) for term in norwegian_terms() if _WORD.fullmatch(term))


def _is_norwegian_term(word: str) -> bool:
    folded = word.casefold().translate(_NORDIC)
    terms = _folded_single_terms()
    if folded in terms:
        return True
    return len(folded) >= FUZZY_TERM_MIN_LENGTH and any(
        len(term) >= FUZZY_TERM_MIN_LENGTH and within_one_edit(folded, term) for term in terms)


def strip_norwegian_terms(text: str) -> str:
    """Remove Norwegian service names (also typed without æøå or with one typo), unless that would
    leave almost nothing to detect on."""
    stripped = _terms_pattern().sub(" ", text)
    stripped = _WORD.sub(lambda m: " " if _is_norwegian_term(m.group()) else m.group(), stripped)
    return stripped if len(_WORD.findall(stripped)) >= 2 else text


def letter_words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_short(text: str) -> bool:
    words = letter_words(text)
    return len(words) < MIN_WORDS_TO_SWITCH or sum(map(len, words)) < MIN_LETTERS_TO_SWITCH


@dataclass(frozen=True)
class Guess:
    """A detector's answer: an input language code, or 'other' for a language we do not speak."""

    language: str
    confidence: float


class Detector(Protocol):
    name: str

    def guess(self, text: str) -> Guess | None: ...


#: Languages near Norwegian that short Norwegian messages are mistaken for; read as Bokmål.
_NORWEGIAN_NEIGHBOURS = {"da", "sv", "no"}


def _normalise_code(code: str) -> str:
    code = code.lower()
    if code in _NORWEGIAN_NEIGHBOURS:
        return "nb"
    if code in INPUT_LANGUAGES:
        return code
    return "other"


class LinguaDetector:
    """lingua in two passes: Bokmål/Nynorsk/English decide between our languages; a broader
    model, asked only about longer messages, notices a language we do not speak."""

    name = "lingua"
    #: A longer message needs at least this many words before we call it "another language".
    MIN_WORDS_FOR_OTHER = 4

    def __init__(self) -> None:
        from lingua import Language, LanguageDetectorBuilder

        ours = [Language.BOKMAL, Language.NYNORSK, Language.ENGLISH]
        others = [
            Language.DANISH, Language.SWEDISH, Language.GERMAN, Language.DUTCH, Language.FRENCH,
            Language.SPANISH, Language.POLISH, Language.SOMALI, Language.TURKISH, Language.RUSSIAN,
            Language.UKRAINIAN,
        ]
        # Models loaded now, not on the first message in each language (seconds, in front of a family).
        self._ours = LanguageDetectorBuilder.from_languages(*ours).with_preloaded_language_models().build()
        # The broad pass screens messages of four words or more in lingua's low-accuracy mode (6 MB
        # instead of 311 MB in each process); a language it names is confirmed at full accuracy
        # against ours alone, with that language's model loaded the first time it is needed.
        self._broad = (LanguageDetectorBuilder.from_languages(*ours, *others).with_preloaded_language_models()
                       .with_low_accuracy_mode().build())
        self._ours_list = ours
        self._confirmers: dict = {}
        self._codes = {Language.BOKMAL: "nb", Language.NYNORSK: "nn", Language.ENGLISH: "en"}
        self._scandinavian = {Language.BOKMAL, Language.NYNORSK, Language.DANISH, Language.SWEDISH}
        self._cld2 = Cld2Detector()

    def _confirmer(self, language):
        """Our languages and ``language`` at full accuracy (built once per language seen)."""
        from lingua import LanguageDetectorBuilder

        if language not in self._confirmers:
            self._confirmers[language] = LanguageDetectorBuilder.from_languages(*self._ours_list, language).build()
        return self._confirmers[language]

    def guess(self, text: str) -> Guess | None:
        if len(letter_words(text)) >= self.MIN_WORDS_FOR_OTHER:
            screened = self._broad.detect_language_of(text)
            if screened is not None and screened not in self._codes and screened not in self._scandinavian:
                confirmed = self._confirmer(screened).compute_language_confidence_values(text)
                runner_up = confirmed[1].value if len(confirmed) > 1 else 0.0
                if confirmed and confirmed[0].language == screened and confirmed[0].value >= 0.4 and confirmed[0].value >= 2 * runner_up:
                    return Guess("other", confirmed[0].value)
        values = {self._codes[v.language]: v.value for v in self._ours.compute_language_confidence_values(text)}
        if not values:
            return None
        norwegian = values.get("nb", 0.0) + values.get("nn", 0.0)
        english = values.get("en", 0.0)
        if abs(english - norwegian) < 0.4:
            # lingua is unsure on short mixed messages ("can we get … for my son", "tell me a
            # joke"): the little words only one language has, and pycld2, break the tie.
            words = [w.casefold() for w in letter_words(text)]
            votes = sum(w in _ENGLISH_ONLY for w in words) - sum(w in _NORWEGIAN_ONLY for w in words)
            second = self._cld2.guess(text)
            if second and second.confidence >= 0.9 and second.language in ("en", "nb", "nn"):
                votes += 1 if second.language == "en" else -1
            if votes:
                english, norwegian = (0.8, 0.2) if votes > 0 else (0.2, 0.8)
        if english >= norwegian:
            return Guess("en", english)
        # Bokmål and Nynorsk share most words: decide "Norwegian" on their sum, then the variant,
        # by the words only one of them has (eg/jeg, kva/hva, ikkje/ikke), else by lingua.
        words = {w.casefold() for w in letter_words(text)}
        nn_votes, nb_votes = len(words & _NYNORSK_MARKERS), len(words & _BOKMAL_MARKERS)
        if nn_votes != nb_votes:
            return Guess("nn" if nn_votes > nb_votes else "nb", norwegian)
        variant = "nn" if values.get("nn", 0.0) > values.get("nb", 0.0) * 1.5 else "nb"
        return Guess(variant, norwegian)


class LangdetectDetector:
    """langdetect, seeded so that it is repeatable (the baseline we measure against)."""

    name = "langdetect"

    def __init__(self) -> None:
        from langdetect import DetectorFactory

        DetectorFactory.seed = 0

    def guess(self, text: str) -> Guess | None:
        from langdetect import detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            return None
        return Guess(_normalise_code(best.lang), best.prob)


class Cld2Detector:
    name = "pycld2"

    def guess(self, text: str) -> Guess | None:
        import pycld2

        try:
            reliable, _, details = pycld2.detect(text, bestEffort=True)
        except pycld2.error:
            return None
        name, code, percent, _score = details[0]
        if code == "un":
            return None
        code = {"no": "nb", "nn": "nn", "ti": "ti", "ar": "ar"}.get(code, code)
        return Guess(_normalise_code(code), percent / 100 if reliable else percent / 200)


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    return LinguaDetector()


def warm_up() -> None:
    """Load the detector's models at a process's start (they take seconds to load)."""
    default_detector().guess("Is there relief care for families like ours?")


@dataclass(frozen=True)
class LanguageDecision:
    """The conversation language and why it was chosen (for logs without personal data)."""

    language: str
    method: str  # explicit | script | arabizi | statistical | sticky | history | opener | default | unsupported


def decide_language(
    text: str,
    *,
    explicit: str | None = None,
    previous: str | None = None,
    history: Iterable[str] = (),
    default: str = "nb",
    detector: Detector | None = None,
) -> LanguageDecision:
    """Decide the conversation's language after a new user message.

    ``explicit`` is a choice from the language picker or an "answer in English" request;
    ``previous`` is the conversation's language so far; ``history`` holds earlier user messages.
    The result is an input language (nn possible) or, with method "unsupported", the default.
    """
    if explicit in INPUT_LANGUAGES:
        return LanguageDecision(explicit, "explicit")
    text = clean(text)
    by_script = script_language(text)
    if by_script:
        return LanguageDecision(by_script, "script")
    if is_arabizi(text):
        # Answered in English (Latin letters, like the message), with Arabic offered; a
        # conversation already in Arabic stays in Arabic.
        return LanguageDecision("ar" if previous == "ar" else "en", "arabizi")
    detector = detector or default_detector()
    if not is_short(text):
        guess = detector.guess(strip_norwegian_terms(text))
        if guess and guess.language == "other" and previous is None:
            return LanguageDecision(default, "unsupported")
        if guess and guess.language in INPUT_LANGUAGES and guess.confidence >= MIN_CONFIDENCE:
            return LanguageDecision(guess.language, "statistical")
    if previous in INPUT_LANGUAGES:
        return LanguageDecision(previous, "sticky")
    earlier = " ".join(clean(t) for t in history if t and not script_language(t))
    combined = f"{earlier} {text}".strip()
    if earlier and not is_short(combined):
        guess = detector.guess(strip_norwegian_terms(combined))
        if guess and guess.language in INPUT_LANGUAGES and guess.confidence >= MIN_CONFIDENCE:
            return LanguageDecision(guess.language, "history")
    opener = OPENERS.get(" ".join(w.casefold() for w in letter_words(text)))
    if opener:
        return LanguageDecision(opener, "opener")
    if letter_words(text):
        guess = detector.guess(strip_norwegian_terms(text))
        if guess and guess.language in INPUT_LANGUAGES and guess.confidence >= FIRST_MESSAGE_CONFIDENCE:
            return LanguageDecision(guess.language, "statistical")
    return LanguageDecision(default if default in ANSWER_LANGUAGES else "nb", "default")
