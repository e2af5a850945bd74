"""Recognises which service (and which language, in "answer in English") a message is about.

Two steps, the first one precise, the second one broad:

1. A lexicon built from the training data (annotated entity texts and synonyms) matched on
   normalised tokens, tolerant to one typo in longer words and to Norwegian compounds
   ("avlastningstilbud").
2. When no service name is found, a character n-gram classifier trained on the annotated
   examples recognises descriptions of a need ("a break from caring at weekends"), and only
   above a confidence threshold: a confident wrong service is worse than asking. A name that
   appears only in a sentence that is not the question ("her physiotherapist is great") yields to
   the need the story describes (``service_classifier.read_story``), and so does a short
   descriptive phrase the story's reading clearly contradicts.
3. Its reading of the message (the three likeliest services and the chance that it is about no
   service) goes out as ``service_reading``, so the assistant can offer those services as buttons
   when it is unsure, instead of refusing.

It runs before the featurizers and also *delexicalises*: tokens of a recognised name get the
lemma ``__service__`` (or ``__language__``), so the intent classifier learns the shape of a
question ("what is __service__?") rather than which service was named, and a short message like
"ما هو BPA؟" is not mistaken for another intent because of an unfamiliar name.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.story import question_index, sentences
from knowledge.text import within_one_edit
from veiviser_nlu.normalize import normalize, tokens
from veiviser_nlu.service_classifier import (
    NO_SERVICE,
    build_classifier,
    fast_to_apply,
    fit,
    ranked_services,
    read_story,
)

logger = logging.getLogger(__name__)

SERVICE_MARKER = "__service__"
READING = "service_reading"
#: How many likely services the reading offers.
CANDIDATES = 3
LEXICON_FILE = "lexicon.json"
CLASSIFIER_FILE = "service_classifier.skops"
#: Types a saved classifier may contain; anything else is refused when loading.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def token_matches(word: str, term: str) -> float:
    """1.0 for the same word, 0.9 for a compound starting with the term, 0.8 for one typo."""
    if word == term:
        return 1.0
    if len(term) >= 7 and word.startswith(term) and len(word) - len(term) <= 8:
        return 0.9
    if len(term) >= 6 and within_one_edit(word, term):
        return 0.8
    return 0.0


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class LexiconIndex:
    """Which lexicon terms a word can match (``token_matches`` above zero), found without
    comparing it with every term: exact words from a dict, compounds by the word's prefixes,
    one typo by single-letter deletions (two words within one edit share a deletion)."""

    def __init__(self, lexicon: list[list[Any]]) -> None:
        self.size = len(lexicon)
        self.phrases_starting_with: dict[str, list[int]] = {}
        for number, (_entity, _value, phrase) in enumerate(lexicon):
            self.phrases_starting_with.setdefault(phrase[0], []).append(number)
        self._by_deletion: dict[str, set[str]] = {}
        for term in self.phrases_starting_with:
            if len(term) >= 6:
                for key in {term} | _deletions(term):
                    self._by_deletion.setdefault(key, set()).add(term)
        self._cache: dict[str, list[tuple[str, float]]] = {}

    def first_terms(self, word: str) -> list[tuple[str, float]]:
        """(term, score) for every phrase-opening term the word matches."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        candidates = set()
        if word in self.phrases_starting_with:
            candidates.add(word)
        candidates.update(word[:end] for end in range(7, len(word)) if word[:end] in self.phrases_starting_with)
        for key in {word} | _deletions(word):
            candidates.update(self._by_deletion.get(key, ()))
        result = [(term, score) for term in candidates if (score := token_matches(word, term)) > 0.0]
        if len(self._cache) < 50_000:
            self._cache[word] = result
        return result


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=True,
)
class ServiceRecognizer(GraphComponent, EntityExtractorMixin):
    """Entity extractor for `service` (lexicon + classifier) and `language` (lexicon)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "classified_entity": "service",
            "classifier_threshold": 0.45,
            "classifier": "logreg",
            "max_phrase_tokens": 4,
            # A name only outside the question sentence yields when the story's own reading of
            # another service is at least this likely and this many times likelier than the name.
            "passing_mention_min_confidence": 0.45,
            "passing_mention_ratio": 2.5,
            # A short descriptive phrase in the lexicon ("someone who goes with him") can fit two
            # services; a reading this sure of another service, this many times likelier, wins.
            "overrule_min_confidence": 0.8,
            "overrule_ratio": 10.0,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 lexicon: list[list[Any]] | None = None, classifier: Any = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        #: [[entity, value, [normalised tokens]], …], longest phrases first.
        self.lexicon: list[list[Any]] = lexicon or []
        self.classifier = fast_to_apply(classifier) if classifier is not None else None
        self._lexicon_index: LexiconIndex | None = None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ServiceRecognizer:
        return cls(config, model_storage, resource)

    # --- training -----------------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        self.lexicon = self._build_lexicon(training_data)
        self.classifier = self._train_classifier(training_data)
        self.persist()  # as scikit-learn made it; set up for reading messages after (and on every load)
        fast_to_apply(self.classifier)
        return self._resource

    def _build_lexicon(self, training_data: TrainingData) -> list[list[Any]]:
        entity_of_value: dict[str, str] = {}
        phrases: dict[tuple, tuple] = {}
        for example in training_data.training_examples:
            text = example.get(TEXT) or ""
            for entity in example.get(ENTITIES) or []:
                value = str(entity.get("value"))
                entity_of_value[value] = entity["entity"]
                words = tuple(normalize(t) for t, _, _ in tokens(text[entity["start"]:entity["end"]]))
                if 0 < len(words) <= self._config["max_phrase_tokens"]:
                    phrases[words] = (entity["entity"], value)
        for surface, value in training_data.entity_synonyms.items():
            entity = entity_of_value.get(str(value))
            words = tuple(normalize(t) for t, _, _ in tokens(surface))
            if entity and words:
                phrases[words] = (entity, str(value))
        lexicon = [[entity, value, list(words)] for words, (entity, value) in phrases.items()]
        lexicon.sort(key=lambda item: (-len(item[2]), -sum(map(len, item[2]))))
        logger.info("service lexicon: %d phrases", len(lexicon))
        return lexicon

    def _train_classifier(self, training_data: TrainingData) -> Any:
        texts, labels = [], []
        target = self._config["classified_entity"]
        for example in training_data.intent_examples:
            values = [e["value"] for e in example.get(ENTITIES) or [] if e["entity"] == target]
            texts.append(example.get(TEXT) or "")
            labels.append(str(values[0]) if values else NO_SERVICE)
        if len(set(labels)) < 2:
            return None
        return fit(build_classifier(self._config["classifier"]), texts, labels)

    # --- persistence ----------------------------------------------------------------------------
    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEXICON_FILE).write_text(json.dumps(self.lexicon, ensure_ascii=False), encoding="utf-8")
            if self.classifier is not None:
                sio.dump(self.classifier, directory / CLASSIFIER_FILE)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ServiceRecognizer:
        import skops.io as sio

        with model_storage.read_from(resource) as directory:
            lexicon = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))
            classifier = None
            path = directory / CLASSIFIER_FILE
            if path.exists():
                untrusted = sio.get_untrusted_types(file=path)
                refused = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
                if refused:
                    raise ValueError(f"service classifier contains unexpected types: {refused}")
                classifier = sio.load(path, trusted=untrusted)
        return cls(config, model_storage, resource, lexicon, classifier)

    # --- inference ------------------------------------------------------------------------------
    def process(self, messages: list[Message]) -> list[Message]:
        target = self._config["classified_entity"]
        for message in messages:
            text = message.get(TEXT) or ""
            reading = read_story(self.classifier, text) if self.classifier is not None and text.strip() else {}
            found = self.recognise(text, reading=reading)
            self._delexicalise(message, found, mark=any(e["entity"] == target for e in found))
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
            if reading:
                services = ranked_services(reading)[:CANDIDATES]
                message.set(READING, {"services": [{"service": key, "confidence": round(p, 4)} for key, p in services],
                                      "none": round(reading.get(NO_SERVICE, 0.0), 4)}, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Delexicalise training texts as live messages will be: names by the lexicon; the
        service marker wherever the example is about a service (live: wherever one is recognised)."""
        target = self._config["classified_entity"]
        for example in training_data.training_examples:
            if example.get(TEXT):
                gold = any(e.get("entity") == target for e in example.get(ENTITIES) or [])
                self._delexicalise(example, self._lexicon_matches(example.get(TEXT)), mark=gold)
        return training_data

    @staticmethod
    def _delexicalise(message: Message, found: list[dict[str, Any]], mark: bool) -> None:
        """Names become a placeholder lemma; ``mark`` appends one ``__service__`` token, so a
        described need ("someone to go swimming with her") looks like a question about a service."""
        tokens_ = message.get(TOKENS_NAMES[TEXT]) or []
        spans = [(e["start"], e["end"], e["entity"]) for e in found if not e.get("additional_info")]
        for token in tokens_:
            for start, end, entity in spans:
                if token.start < end and token.end > start:
                    token.lemma = f"__{entity}__"
        if mark and tokens_:
            end = tokens_[-1].end
            tokens_.append(Token(SERVICE_MARKER, end, end, lemma=SERVICE_MARKER))

    def _lexicon_matches(self, text: str) -> list[dict[str, Any]]:
        """Names from the lexicon (services and languages), tolerant to one typo and to compounds.

        Phrases are taken in lexicon order (longest first) and a word belongs to one name only.
        Candidates come from an index (``LexiconIndex``), so a long story does not compare every
        word with every phrase."""
        words = tokens(text)
        normalised = [normalize(w) for w, _, _ in words]
        index = self._index()
        matches: list[tuple[int, int, list[float]]] = []  # (phrase number, start, scores)
        for start, word in enumerate(normalised):
            for term, score in index.first_terms(word):
                for number in index.phrases_starting_with[term]:
                    phrase = self.lexicon[number][2]
                    size = len(phrase)
                    if start + size > len(words):
                        continue
                    scores = [score] + [token_matches(normalised[start + k], phrase[k]) for k in range(1, size)]
                    # Short words and acronyms (BPA, IP, SFO) must match exactly.
                    if min(scores) == 0.0 or any(s < 1.0 and len(p) < 6 for s, p in zip(scores, phrase, strict=True)):
                        continue
                    matches.append((number, start, scores))
        used = [False] * len(words)
        found: list[dict[str, Any]] = []
        for number, start, scores in sorted(matches, key=lambda m: (m[0], m[1])):
            entity, value, phrase = self.lexicon[number]
            size = len(phrase)
            if any(used[start:start + size]):
                continue
            for k in range(size):
                used[start + k] = True
            found.append({"entity": entity, "value": value, "start": words[start][1],
                          "end": words[start + size - 1][2], "confidence_entity": min(scores),
                          "text": text[words[start][1]:words[start + size - 1][2]]})
        found.sort(key=lambda e: e["start"])
        return found

    def _index(self) -> LexiconIndex:
        if self._lexicon_index is None or self._lexicon_index.size != len(self.lexicon):
            self._lexicon_index = LexiconIndex(self.lexicon)
        return self._lexicon_index

    def recognise(self, text: str, reading: dict[str, float] | None = None) -> list[dict[str, Any]]:
        """Named services and languages; else, above the threshold, the service the story describes.

        Several named services are ordered by the story's reading, so the one asked about comes
        first; a name mentioned only in passing yields to a clearly described other need."""
        found = self._lexicon_matches(text)
        target = self._config["classified_entity"]
        if not reading:
            return found
        named = [e for e in found if e["entity"] == target]
        if named and (self._only_in_passing(text, named, reading) or self._overruled(named, reading)):
            found = [e for e in found if e["entity"] != target]
            named = []
        if named:
            others = [e for e in found if e["entity"] != target]
            named.sort(key=lambda e: reading.get(str(e["value"]), 0.0), reverse=True)
            return named + others
        label, probability = ranked_services(reading)[0]
        if probability >= self._config["classifier_threshold"] and probability > reading.get(NO_SERVICE, 0.0):
            found.append({"entity": target, "value": str(label), "start": 0, "end": len(text),
                          "confidence_entity": float(probability), "text": text,
                          "additional_info": {"method": "classifier"}})
        return found

    def _overruled(self, named: list[dict[str, Any]], reading: dict[str, float]) -> bool:
        return _outweighs_names(named, reading, self._config["overrule_min_confidence"], self._config["overrule_ratio"])

    def _only_in_passing(self, text: str, named: list[dict[str, Any]], reading: dict[str, float]) -> bool:
        parts = sentences(text)
        if len(parts) < 2:
            return False
        asked = parts[question_index(parts)]
        start = text.find(asked)
        if start < 0 or any(start <= e["start"] < start + len(asked) for e in named):
            return False
        return _outweighs_names(named, reading, self._config["passing_mention_min_confidence"],
                                self._config["passing_mention_ratio"])


def _outweighs_names(named: list[dict[str, Any]], reading: dict[str, float], min_confidence: float, ratio: float) -> bool:
    """The reading's likeliest service is not one of the names, is at least ``min_confidence``
    likely, and ``ratio`` times likelier than the likeliest name."""
    label, probability = ranked_services(reading)[0]
    strongest_name = max(reading.get(str(e["value"]), 0.0) for e in named)
    return label not in {str(e["value"]) for e in named} and probability >= min_confidence and probability >= ratio * strongest_name
