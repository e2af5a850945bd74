"""Which service a described need is about: the classifier and how a story is read.

Kept apart from the Rasa component so that the model comparison (``make compare``) trains and
scores exactly what the assistant runs, without Rasa.

A parent's story can be read as a whole and sentence by sentence (``knowledge.story``): the
question sentence ("Is there someone who can take her to the youth club?") and the sentence that
states the need most clearly can weigh in beside the whole text. ``make compare`` measured the
weights on the blind sets: trained on parents' stories, the whole-text reading was as good on set
A and better on set B (sure and right 91.7 % against 89.7 % with half the weight on sentences),
so the assistant reads the whole text; the sentences decide whether a service *name* was only
mentioned in passing (``ServiceRecognizer._only_in_passing``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from knowledge.story import question_index, sentences
from veiviser_nlu.normalize import normalize

NO_SERVICE = "none"
#: How the readings of a story are combined: the whole text, the question sentence, and the
#: sentence with the most confident service reading. Chosen by ``make compare`` (see above).
WEIGHTS = {"whole": 1.0, "question": 0.0, "clearest": 0.0}


def build_classifier(kind: str = "logreg") -> Any:
    """An unfitted scikit-learn pipeline; ``kind`` names one of the candidates ``make compare`` measures."""
    from sklearn.ensemble import VotingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        # min_df=2 drops character n-grams seen once (typos of one line): a third of the training
        # time, the same readings of the blind sets (measured when the signposts came, issue 12).
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
    ])
    if kind == "logreg":  # 100 iterations: lbfgs stops early, with the same blind-set readings as 3000
        classify = LogisticRegression(C=20.0, max_iter=100, class_weight="balanced")
    elif kind == "svm":  # a linear SVM with a smoothed hinge loss, which gives probabilities
        classify = SGDClassifier(loss="modified_huber", alpha=1e-5, class_weight="balanced", max_iter=50, random_state=0)
    elif kind == "ensemble":  # logistic regression and the SVM, probabilities averaged
        classify = VotingClassifier([
            ("logreg", LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced")),
            ("svm", SGDClassifier(loss="modified_huber", alpha=1e-5, class_weight="balanced", max_iter=50, random_state=0)),
        ], voting="soft")
    elif kind == "logreg_c5":
        classify = LogisticRegression(C=5.0, max_iter=3000, class_weight="balanced")
    else:
        raise ValueError(f"unknown classifier kind {kind!r}")
    return Pipeline([("features", features), ("classify", classify)])


def fit(model: Any, texts: Sequence[str], labels: Sequence[str]) -> Any:
    model.fit([normalize(text) for text in texts], list(labels))
    return model


def fast_to_apply(model: Any) -> Any:
    """The fitted model set up to read one message at a time quickly, with the same predictions:

    - a linear model's weights are stored so that scipy multiplies a sparse message by them
      directly: ``coef_.T`` of a C-ordered ``coef_`` is not C-contiguous, and scipy then copied the
      whole features × classes matrix for every message (19 ms instead of 0.02 ms at 200,000
      features; a fifth of Rasa's time per turn);
    - each TF-IDF step weighs and normalises with its idf vector computed once (scikit-learn sums
      its diagonal matrix again for every message, to check that it is fitted);
    - a union of features is stacked directly, without scikit-learn's joblib machinery per message.
    Together the service reading took a fifth of Rasa's time per turn."""
    steps = [step for _, step in model.steps] if hasattr(model, "steps") else [model]
    for step in steps:
        if hasattr(step, "coef_"):
            step.coef_ = np.asfortranarray(step.coef_)
        for part in _parts(step):
            if getattr(part, "_tfidf", None) is not None and hasattr(part, "idf_"):
                part._tfidf.transform = _tfidf_weighing(part._tfidf)
        if hasattr(step, "transformer_list") and not step.transformer_weights and not any(
                isinstance(part, str) or part is None for part in _parts(step)):  # "drop", "passthrough": scikit-learn's way
            step.transform = _stacked(step)
    return model


def _parts(step: Any) -> list[Any]:
    return [part for _, part in step.transformer_list] if hasattr(step, "transformer_list") else [step]


def _tfidf_weighing(tfidf: Any):
    """TfidfTransformer.transform for CSR counts, its idf vector taken once."""
    from sklearn.preprocessing import normalize as normalize_rows

    idf = np.asarray(tfidf.idf_, dtype=np.float64)
    sublinear, norm = tfidf.sublinear_tf, tfidf.norm

    def transform(counts: Any, copy: bool = True) -> Any:
        weighed = counts.tocsr().astype(np.float64, copy=True)
        if sublinear:
            np.log(weighed.data, weighed.data)
            weighed.data += 1
        weighed.data *= idf[weighed.indices]
        return normalize_rows(weighed, norm=norm, copy=False) if norm else weighed
    return transform


def _stacked(union: Any):
    """FeatureUnion.transform without joblib: each part's features side by side (CSR)."""
    from scipy import sparse

    parts = _parts(union)

    def transform(texts: Any) -> Any:
        return sparse.hstack([part.transform(texts) for part in parts], format="csr")
    return transform


def probabilities(model: Any, texts: Sequence[str]) -> np.ndarray:
    return model.predict_proba([normalize(text) for text in texts])


def read_story(model: Any, text: str, weights: dict[str, float] | None = None) -> dict[str, float]:
    """Probability per label (services and ``none``) for a message, combining its sentences."""
    weights = weights or WEIGHTS
    classes = list(model.classes_)
    whole_only = not weights["question"] and not weights["clearest"]
    parts = [] if whole_only else sentences(text)  # the assistant's weights: no sentence splitting on every turn
    if len(parts) <= 1:
        return dict(zip(classes, probabilities(model, [text])[0].tolist(), strict=True))
    rows = probabilities(model, [text, *parts])
    whole, per_sentence = rows[0], rows[1:]
    question = per_sentence[question_index(parts)]
    none = classes.index(NO_SERVICE) if NO_SERVICE in classes else None
    service_mass = per_sentence.copy()
    if none is not None:
        service_mass[:, none] = 0.0
    clearest = per_sentence[int(service_mass.max(axis=1).argmax())]
    combined = weights["whole"] * whole + weights["question"] * question + weights["clearest"] * clearest
    combined = combined / combined.sum()
    return dict(zip(classes, combined.tolist(), strict=True))


def ranked_services(reading: dict[str, float]) -> list[tuple[str, float]]:
    """Services only, most likely first."""
    return sorted(((label, p) for label, p in reading.items() if label != NO_SERVICE), key=lambda item: item[1], reverse=True)
