"""Questions the assistant could not answer lose their personal data before they are stored."""
from __future__ import annotations

import pytest

from knowledge.redaction import redact


@pytest.mark.parametrize("text,gone,kept", [
    ("Jeg heter Kari Nordmann og lurer på avlastning", ["Kari", "Nordmann"], ["avlastning"]),
    ("My name is Amira, can my son get help?", ["Amira"], ["son", "help"]),
    ("Ring meg på 400 00 000 eller 94837285", ["400 00 000", "94837285"], ["Ring meg"]),
    ("Fødselsnummeret er 15031951264", ["15031951264"], ["er [number]"]),  # a word it does not know goes too
    ("Send svar til kari.nordmann@example.no takk", ["kari.nordmann", "example.no"], ["Send svar"]),
    ("se https://example.com/side og www.test.no", ["example.com", "www.test.no"], ["se"]),
    ("Han er født 15.03.2019 og heter Ola", ["15.03.2019", "Ola"], ["født"]),
    ("vi bor i Trondheim og snakket med Per om BPA", ["Per"], ["Trondheim", "BPA"]),
    ("Can Ahmed get Avlastning in Trondheim?", ["Ahmed"], ["Avlastning", "Trondheim"]),
    ("اسمي أمينة وأريد مساعدة لابني", ["أمينة"], ["مساعدة"]),
    ("ابني يحتاج إلى مساعدة", [], ["ابني يحتاج"]),
    ("ስመይ ሳባ እየ፣ ሓገዝ ንደሊ", ["ሳባ"], ["ሓገዝ"]),
    ("she is 5 years old", [], ["5 years"]),
])
def test_redaction(text, gone, kept):
    result = redact(text)
    for part in gone:
        assert part not in result, (result, part)
    for part in kept:
        assert part in result, (result, part)


def test_markers_say_what_was_removed():
    assert redact("Jeg heter Kari, ring 40000000") == "Jeg heter [name], ring [number]"


@pytest.mark.parametrize("question,gone,kept", [
    # What real use stored before (issue 14): names in lower case, all caps, an e-mail without a dot.
    ("min datter lise hansen har kreft, kan vi få avlastning?", ["lise", "hansen"], ["kreft", "avlastning"]),
    ("ola nordmann er 7 år og har autisme og epilepsi", ["ola", "nordmann"], ["autisme", "epilepsi", "7 år"]),
    ("OLA NORDMANN trenger BPA", ["OLA", "NORDMANN"], ["BPA"]),
    ("send det til ola@localhost", ["ola", "localhost"], ["send"]),
    ("ابني أحمد عمره ٧ سنوات ويحتاج رعاية", ["أحمد"], ["ابني", "رعاية"]),
    ("ወደይ ዳዊት ሓገዝ የድልዮ", ["ዳዊት"], ["ወደይ", "ሓገዝ"]),
    ("What is relief care for my son elias?", ["elias"], ["relief care"]),
])
def test_only_words_the_assistant_knows_are_kept(question, gone, kept):
    redacted = redact(question)
    for word in gone:
        assert word not in redacted, redacted
    for words in kept:
        assert words in redacted, redacted
