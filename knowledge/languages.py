"""The languages Veiviser speaks and how they fall back on each other."""
from __future__ import annotations

#: Languages the assistant answers in, in the order the language picker shows them.
ANSWER_LANGUAGES: tuple[str, ...] = ("nb", "en", "ar", "ti")
#: Languages it understands; Nynorsk is answered in Bokmål.
INPUT_LANGUAGES: tuple[str, ...] = ("nb", "nn", "en", "ar", "ti")
DEFAULT_LANGUAGE = "nb"

#: Each language's own name, for pickers and "I can answer in …" messages.
NATIVE_NAMES: dict[str, str] = {"nb": "Norsk", "en": "English", "ar": "العربية", "ti": "ትግርኛ"}


def language_order(language: str) -> int:
    """Sort key: the answer languages in picker order, anything else after them."""
    return ANSWER_LANGUAGES.index(language) if language in ANSWER_LANGUAGES else len(ANSWER_LANGUAGES)


def answer_language(language: str | None) -> str:
    """The language to answer in: nn is answered in nb; unknown codes get the default."""
    if language == "nn":
        return "nb"
    return language if language in ANSWER_LANGUAGES else DEFAULT_LANGUAGE


def content_fallbacks(language: str) -> list[str]:
    """Languages to try, in order, when looking up content for ``language``."""
    chain = [language]
    if language == "nn":
        chain.append("nb")
    return chain
