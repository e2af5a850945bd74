"""A parent's story split into sentences, and the sentence that asks the question."""
from __future__ import annotations

import pytest

from knowledge.story import MAX_CHARS, is_question, question_index, sentences


@pytest.mark.parametrize("text,expected", [
    ("Vi er slitne. Han har autisme og epilepsi! Kan vi få hjelp?", 3),
    ("ወደይ ኦቲዝም ኣለዎ። ሓገዝ ኣሎ ዶ፧", 2),                       # Ethiopic full stop and question mark
    ("ወደይ ኦቲዝም ኣለዎ።ሓገዝ ኣሎ ዶ፧", 2),                        # … without a space after them
    ("ابني عنده توحد. في مساعدة؟ شكرا", 3),                     # Arabic question mark
    ("my son is 7 and has cp who helps with aids for eating", 1),  # phone style: no punctuation
])
def test_sentences_in_every_script(text, expected):
    assert len(sentences(text)) == expected


def test_empty_and_punctuation_only_messages_have_no_sentences():
    assert sentences("") == [] and sentences("   ") == [] and sentences("?!.") == []


def test_very_long_messages_are_cut_before_splitting():
    assert sum(map(len, sentences("Hei. " * 5000))) <= MAX_CHARS


@pytest.mark.parametrize("text,asked", [
    ("Hun er 12 og har CP. Fysioterapeuten hennes er flink. Kan noen følge henne på fritidsklubben?", 2),
    ("Can someone take her to the youth club? She is 12 and has CP.", 0),
    ("Vi er slitne. Han sover aldri", 1),                       # no question: the last sentence
    ("ጓለይ 12 ዓመታ እያ። ምስ ሰብ ናብ ክለብ ክትከይድ ትደሊ ኣሎ ዶ", 1),   # Tigrinya question particle, no mark
    ("بنتي عمرها 12. هل في حدا يروح معها عالنادي", 1),
])
def test_the_question_sentence(text, asked):
    assert question_index(sentences(text)) == asked


def test_statements_are_not_questions():
    assert not is_question("Vi har vært hos fysioterapeuten i tre år.")
    assert is_question("finnes det noe for oss")
