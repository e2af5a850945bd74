"""A tokenizer that keeps the original text and offsets and puts the normalised form in the lemma.

Rasa's CountVectorsFeaturizer reads lemmas (``use_lemma`` is on by default), so word and
character n-gram features see normalised Arabic, Tigrinya and Norwegian.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from veiviser_nlu.normalize import normalize, tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalizingTokenizer(Tokenizer):
    """Splits on letters/digits runs (Unicode-aware) and normalises each token into its lemma."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None,
                "prefix_separator_symbol": None}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> NormalizingTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        found = [Token(word, start, end, lemma=normalize(word)) for word, start, end in tokens(text)]
        if not found:
            # Emoji-only or punctuation-only messages still need one token to featurise.
            found = [Token(text or "_", 0, len(text), lemma="_")]
        return self._apply_token_pattern(found)
