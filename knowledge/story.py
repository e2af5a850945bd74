"""A parent's message as they write it: sentences, and which of them asks the question.

Why: families tell a story ("She is 12 and has CP. Her physiotherapist is great. She wants to go to
the youth club but cannot go alone. Is there help for that?"). Read as one bag of words, the
therapist mentioned in passing can outweigh the need. Split into sentences, the need and the
question sentence can be weighed on their own.

spaCy's blank pipelines (no trained model, nothing downloaded) with the rule-based sentencizer
split on ".", "!", "?", "؟", "።" and "፧"; the tokenizer of the message's script is used, so
Ethiopic full stops written without a space still end a sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from knowledge.language_detection import script_language

#: Long messages are cut here before splitting (the chat caps messages anyway); keeps a turn fast.
MAX_CHARS = 4000
_QUESTION_END = ("?", "؟", "፧")
#: Sentence ends typed without a space after them ("ኣለዎ።ሓገዝ", "عمرها 12.هل") get one, so the
#: tokenizer sees the mark as a token of its own; so does a full stop after a number ("12. هل").
_GLUED_END = re.compile(r"([።፧؟?!])(?=\w)|(?<=\d)(\.)(?=\s|\w)(?!\d)")
#: Words that open a question in a sentence typed without a question mark (normalised, lower case).
_QUESTION_OPENERS = re.compile(
    r"^(?:kan|kva|hva|hvem|kven|hvordan|korleis|finnes|finst|fins|har|får|er det|is there|are there|can|could|"
    r"how|what|who|where|do|does|is|are|any|هل|في|فيه|كيف|شو|ايش|وين|مين|ممكن|اكو)\b", re.IGNORECASE)
_TIGRINYA_QUESTION = re.compile(r"(?:ዶ|ከመይ|እንታይ|መን|ኣበይ|ክንደይ)\s*[?፧።]?\s*$")


@lru_cache(maxsize=4)
def _pipeline(language: str):
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[str]:
    """The message's sentences, stripped, without empty ones."""
    text = (text or "")[:MAX_CHARS]
    if not text.strip():
        return []
    text = _GLUED_END.sub(lambda m: f" {m.group(2)} " if m.group(2) else f"{m.group(1)} ", text)
    doc = _pipeline(script_language(text) or "nb")(text)  # the tokenizer of the message's script
    return [sentence.text.strip() for sentence in doc.sents if any(ch.isalnum() for ch in sentence.text)]


def is_question(sentence: str) -> bool:
    stripped = sentence.strip()
    return (stripped.endswith(_QUESTION_END) or bool(_QUESTION_OPENERS.match(stripped))
            or bool(_TIGRINYA_QUESTION.search(stripped)))


def question_index(parts: list[str]) -> int:
    """The sentence that asks: the last one that looks like a question, else the last one."""
    for index in range(len(parts) - 1, -1, -1):
        if is_question(parts[index]):
            return index
    return len(parts) - 1
