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


def test_the_lexicon_index_finds_what_comparing_every_term_finds():
    """The index (exact words, compounds, one typo) must give the same names as the plain loop."""
    from veiviser_nlu.service_recognizer import ServiceRecognizer

    lexicon = [["service", "relief_care", ["avlastning"]], ["service", "bpa", ["bpa"]],
               ["service", "support_contact", ["stottekontakt"]],
               ["service", "individual_plan", ["individuell", "plan"]], ["language", "en", ["engelsk"]]]
    recogniser = ServiceRecognizer({}, None, None, lexicon=lexicon)
    text = "Kan vi få avlastningstilbud, stottekontakt (stotekontakt), BPA og en individuel plan? Svar på engelsk"
    found = {(e["entity"], e["value"], e["text"], e["confidence_entity"]) for e in recogniser._lexicon_matches(text)}
    assert found == {("service", "relief_care", "avlastningstilbud", 0.9), ("service", "support_contact", "stottekontakt", 1.0),
                     ("service", "support_contact", "stotekontakt", 0.8), ("service", "bpa", "BPA", 1.0),
                     ("service", "individual_plan", "individuel plan", 0.8), ("language", "en", "engelsk", 1.0)}
    assert recogniser._lexicon_matches("bpb og avlsatning") == []  # short words exact; two typos are too many


def test_a_name_mentioned_in_passing_yields_to_the_need_the_story_describes():
    """The physiotherapist is named in a sentence that is not the question; the need is relief care."""
    from veiviser_nlu.service_classifier import NO_SERVICE, build_classifier, fit, read_story
    from veiviser_nlu.service_recognizer import ServiceRecognizer

    texts = ["vi trenger en pause fra omsorgen i helgene", "noen som kan ta ham en helg så vi får sove",
             "vi er utslitte og trenger avlastning", "han trenger trening for å lære å gå",
             "fysioterapeuten trener balanse med ham", "kan hun få fysioterapi", "hva blir været i morgen",
             "hvem vant kampen", "hvordan lager jeg pizza"] * 3
    labels = ["relief_care"] * 3 + ["physiotherapy"] * 3 + [NO_SERVICE] * 3
    model = fit(build_classifier(), texts, labels * 3)
    story = "Fysioterapeuten hans er veldig flink. Men vi er helt utslitte. Kan noen ta ham en helg så vi får sove?"
    reading = read_story(model, story)
    assert max((p, k) for k, p in reading.items() if k != NO_SERVICE)[1] == "relief_care"
    recogniser = ServiceRecognizer({}, None, None, lexicon=[["service", "physiotherapy", ["fysioterapeuten"]]], classifier=model)
    found = recogniser.recognise(story, reading=reading)
    assert [e["value"] for e in found if e["entity"] == "service"] == ["relief_care"]


def test_a_linear_model_made_fast_to_apply_predicts_the_same():
    """Its weights are laid out so scipy does not copy them for every message."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from veiviser_nlu.service_classifier import fast_to_apply

    texts = ["avlastning for barnet", "støttekontakt på fritiden", "ledsagerbevis på kino", "BPA hjemme"] * 3
    model = make_pipeline(CountVectorizer(analyzer="char_wb", ngram_range=(2, 4)), LogisticRegression(max_iter=200))
    model.fit(texts, ["relief", "support", "companion", "bpa"] * 3)
    before = model.predict_proba(["avlastning i helgene", "kino med ledsager"])
    fast_to_apply(model)
    assert model.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]
    assert np.allclose(model.predict_proba(["avlastning i helgene", "kino med ledsager"]), before)


def test_the_service_classifier_made_fast_to_apply_reads_every_message_the_same():
    """TF-IDF weighed with its idf taken once and the feature union stacked directly: the same
    probabilities as scikit-learn's own path, for ordinary, empty, unknown and repeated words."""
    import numpy as np

    from veiviser_nlu.service_classifier import build_classifier, fast_to_apply, fit, probabilities

    texts = ["avlastning for barnet i helgene", "støttekontakt på fritiden, han har ingen venner", "ledsagerbevis på kino",
             "BPA hjemme, mange timer", "hva koster det", "hvem bestemmer"] * 3
    labels = ["relief_care", "support_contact", "companion_card", "bpa", "none", "none"] * 3
    model = fit(build_classifier(), texts, labels)
    asked = ["avlastning avlastning avlastning", "", "xyzzy qwerty", "kino med ledsager og støttekontakt",
             "ما هو الشخص المرافق؟", "BPA " * 500]
    before = probabilities(model, asked)
    fast_to_apply(model)
    union = model.named_steps["features"]
    assert "transform" in vars(union) and all("transform" in vars(part._tfidf) for _, part in union.transformer_list)
    assert np.allclose(probabilities(model, asked), before, rtol=0, atol=1e-12)
