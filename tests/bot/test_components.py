"""The custom NLU components' building blocks, without training a model."""
from __future__ import annotations

import pytest

from veiviser_nlu.normalize import normalize, normalized_tokens, tokens
from veiviser_nlu.service_recognizer import token_matches


@pytest.mark.parametrize("raw,expected", [
    ("أَطْفَال", "اطفال"),          # tashkeel dropped, hamza-alef folded
    ("رعاية مؤقتة", "رعايه موقته"),  # taa marbuta and hamza on waw folded
    ("مستشفى", "مستشفي"),
    ("١٢٣", "123"),
    ("Støttekontakt", "stottekontakt"),
    ("ﻻ", "لا"),                     # NFKC presentation form
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_tokens_keep_offsets_and_marks():
    text = "ما هو BPA؟ ናይ ዕረፍቲ።"
    for word, start, end in tokens(text):
        assert text[start:end] == word
    assert normalized_tokens("ابنِي") == ["ابني"]
    assert [t for t, _, _ in tokens("helse- og omsorgstjenester 0–18 år")] == ["helse", "og", "omsorgstjenester", "0", "18", "år"]


@pytest.mark.parametrize("word,term,expected", [
    ("avlastning", "avlastning", 1.0),
    ("avlastningstilbud", "avlastning", 0.9),   # Norwegian compound
    ("avlastnig", "avlastning", 0.8),           # one typo
    ("avlasning", "avlastning", 0.8),
    ("bpa", "bpa", 1.0),
    ("bpb", "bpa", 0.0),                        # short words must match exactly
    ("koordinator", "barnekoordinator", 0.0),
])
def test_token_matches(word, term, expected):
    assert token_matches(word, term) == expected


def test_tokens_split_where_the_script_changes():
    assert [t for t, _, _ in tokens("ንBPA ብኸመይ")] == ["ን", "BPA", "ብኸመይ"]
    assert [t for t, _, _ in tokens("بالBPA")] == ["بال", "BPA"]
