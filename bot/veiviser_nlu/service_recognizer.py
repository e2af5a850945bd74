"""Recognises which service (and which language, in "answer in English") a message is about.

Two steps, the first one precise, the second one broad:

1. A lexicon built from the training data (annotated entity texts and synonyms) matched on
   normalised tokens, tolerant to one typo in longer words and to Norwegian compounds
   ("avlastningstilbud").
2. When no service name is found, a character n-gram classifier trained on the annotated
   examples recognises descriptions of a need ("a break from caring at weekends"), and only
   above a confidence threshold: a confident wrong service is worse than asking.

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

from veiviser_nlu.normalize import normalize, tokens

logger = logging.getLogger(__name__)

NO_SERVICE = "none"
SERVICE_MARKER = "__service__"
LEXICON_FILE = "lexicon.json"
CLASSIFIER_FILE = "service_classifier.skops"
#: Types a saved classifier may contain; anything else is refused when loading.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = mismatches = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            mismatches += 1
            if mismatches > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return mismatches + (len(b) - j) + (len(a) - i) <= 1


def token_matches(word: str, term: str) -> float:
    """1.0 for the same word, 0.9 for a compound starting with the term, 0.8 for one typo."""
    if word == term:
        return 1.0
    if len(term) >= 7 and word.startswith(term) and len(word) - len(term) <= 8:
        return 0.9
    if len(term) >= 6 and _edit_distance_at_most_one(word, term):
        return 0.8
    return 0.0


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
            "max_phrase_tokens": 4,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 lexicon: list[list[Any]] | None = None, classifier: Any = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        #: [[entity, value, [normalised tokens]], …], longest phrases first.
        self.lexicon: list[list[Any]] = lexicon or []
        self.classifier = classifier

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ServiceRecognizer:
        return cls(config, model_storage, resource)

    # --- training -----------------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        self.lexicon = self._build_lexicon(training_data)
        self.classifier = self._train_classifier(training_data)
        self.persist()
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
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline

        texts, labels = [], []
        target = self._config["classified_entity"]
        for example in training_data.intent_examples:
            values = [e["value"] for e in example.get(ENTITIES) or [] if e["entity"] == target]
            texts.append(normalize(example.get(TEXT) or ""))
            labels.append(str(values[0]) if values else NO_SERVICE)
        if len(set(labels)) < 2:
            return None
        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
        ])
        model = Pipeline([("features", features),
                          ("classify", LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced"))])
        model.fit(texts, labels)
        return model

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
            found = self.recognise(message.get(TEXT) or "")
            self._delexicalise(message, found, mark=any(e["entity"] == target for e in found))
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Delexicalise training texts as live messages will be: names by the lexicon; the
        service marker wherever the example is about a service (live: wherever one is recognised)."""
        target = self._config["classified_entity"]
        for example in training_data.training_examples:
            if example.get(TEXT):
                gold = any(e.get("entity") == target for e in example.get(ENTITIES) or [])
                self._delexicalise(example, self.recognise(example.get(TEXT), use_classifier=False), mark=gold)
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

    def recognise(self, text: str, use_classifier: bool = True) -> list[dict[str, Any]]:
        words = tokens(text)
        normalised = [normalize(w) for w, _, _ in words]
        used = [False] * len(words)
        found: list[dict[str, Any]] = []
        for entity, value, phrase in self.lexicon:
            size = len(phrase)
            for start in range(len(words) - size + 1):
                if any(used[start:start + size]):
                    continue
                scores = [token_matches(normalised[start + k], phrase[k]) for k in range(size)]
                # Short words and acronyms (BPA, IP, SFO) must match exactly.
                if min(scores) == 0.0 or any(s < 1.0 and len(p) < 6 for s, p in zip(scores, phrase, strict=True)):
                    continue
                for k in range(size):
                    used[start + k] = True
                found.append({"entity": entity, "value": value, "start": words[start][1],
                              "end": words[start + size - 1][2], "confidence_entity": min(scores),
                              "text": text[words[start][1]:words[start + size - 1][2]]})
        found.sort(key=lambda e: e["start"])
        target = self._config["classified_entity"]
        if use_classifier and self.classifier is not None and text.strip() and not any(e["entity"] == target for e in found):
            probabilities = self.classifier.predict_proba([normalize(text)])[0]
            ranked = sorted(zip(self.classifier.classes_, probabilities, strict=True), key=lambda p: p[1], reverse=True)
            label, probability = ranked[0]
            if label != NO_SERVICE and probability >= self._config["classifier_threshold"]:
                found.append({"entity": target, "value": str(label), "start": 0, "end": len(text),
                              "confidence_entity": float(probability), "text": text,
                              "additional_info": {"method": "classifier"}})
        return found
