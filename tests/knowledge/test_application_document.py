"""The case worker's PDF and JSON: Norwegian letters, and the family's own words in Arabic and
Tigrinya, read back out of the PDF."""
from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from knowledge.applications.document import FontsMissing, render_json, render_pdf
from knowledge.config import load_settings


def application(**overrides) -> dict:
    data = {
        "reference": "VV-2026-ABC234", "submitted_at": "2026-11-23T10:00:00+00:00", "language": "ar",
        "guardian": {"name": "Amira Haddad", "phone": "+47 400 00 000", "email": "amira@example.no",
                     "address": "Øvre Bakklandet 3, 7013 Trondheim"},
        "child": {"name": "Åse Ødegård", "birth_date": "2019-03-15", "identity_number": "15031951264"},
        "services": [{"key": "relief_care", "title_nb": "Avlastning"}, {"key": "bpa", "title_nb": "Brukerstyrt personlig assistanse (BPA)"}],
        "need_language": "ar", "need_description": "ابني يحتاج إلى رعاية في الليل ونحن متعبون جدا.",
        "current_services": "Fysioterapi en gang i uka", "preferred_language": "ar", "interpreter_needed": True,
        "coordinator_wanted": False,
        "eligibility": [{"key": "relief_care", "title_nb": "Avlastning", "outcome_nb": "trolig rett (veiledende)"}],
        "facts_nb": ["Alder: 7"], "consent": {"decided_at": "2026-11-23T09:55:00+00:00", "text_version": "2026-11-23"},
    }
    return {**data, **overrides}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_has_every_field_and_norwegian_letters():
    text = pdf_text(render_pdf(application()))
    for expected in ("Søknad om helse- og omsorgstjenester", "VV-2026-ABC234", "Åse Ødegård", "Øvre Bakklandet 3",
                     "15031951264", "Avlastning", "Brukerstyrt personlig assistanse (BPA)", "Fysioterapi en gang i uka",
                     "Trenger tolk", "23.11.2026 kl. 11:00", "koordinerende enhet", "ikke et vedtak", "15.03.2019"):
        assert expected in text, expected


def test_arabic_free_text_is_kept_in_its_script_and_order():
    text = pdf_text(render_pdf(application()))
    assert "ابني يحتاج إلى رعاية في الليل" in text
    assert "skrevet på arabisk" in text


def test_tigrinya_free_text_is_kept_in_its_script():
    text = pdf_text(render_pdf(application(need_language="ti", need_description="ወደይ ለይቲ ሓገዝ የድልዮ እዩ።")))
    assert "ወደይ ለይቲ ሓገዝ የድልዮ እዩ" in text and "skrevet på tigrinja" in text


def test_json_copy_has_the_same_fields_and_a_schema():
    copy = json.loads(render_json(application()))
    assert copy["schema"] == "veiviser-application/2" and copy["child"]["name"] == "Åse Ødegård"
    assert copy["child"]["birth_date"] == "2019-03-15"  # ISO 8601
    assert copy["need_description"].startswith("ابني")


def test_missing_fonts_are_a_clear_error(tmp_path):
    settings = load_settings({**__import__("os").environ, "VEIVISER_FONT_DIR": str(tmp_path)})
    with pytest.raises(FontsMissing, match="fetch_fonts"):
        render_pdf(application(), settings)


def test_none_and_dont_know_are_sent_as_the_family_said_them():
    data = application(current_services="none", coordinator_wanted="dont_know",
                       guardian={"name": "Amira Haddad", "phone": "+47 400 00 000", "email": "none", "address": "Storgata 1"})
    text = pdf_text(render_pdf(data))
    assert "Ingen" in text and "Vet ikke" in text and "Har ingen e-post" in text and "Ikke oppgitt" not in text
    copy = json.loads(render_json(data))
    assert copy["current_services"] == "none" and copy["coordinator_wanted"] == "dont_know" and copy["guardian"]["email"] == "none"


def test_the_pdf_has_a_title_and_a_language_and_no_heading_alone_at_the_foot_of_a_page():
    pdf = render_pdf(application())
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title.startswith("Søknad VV-2026-ABC234")
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert [item.title for item in reader.outline][:2] == ["1. Søker (foresatt)", "2. Barnet"]  # bookmarks per section
    for sentences in range(1, 45):  # needs of many lengths put each later heading near the end of page 1
        need = "Hun trenger tilsyn hele natten. " * sentences
        for page in PdfReader(io.BytesIO(render_pdf(application(need_language="nb", need_description=need)))).pages:
            body = [line for line in page.extract_text().splitlines() if line.strip() and not line.startswith("Søknad VV-")]
            last = body[-1] if body else ""
            assert not (last[:1].isdigit() and last[1:3] == ". "), f"{sentences}: heading alone at the foot: {last}"


def test_the_pdf_is_tagged_headings_paragraphs_and_the_familys_language():
    """A screen reader gets headings as headings and reads the family's Arabic as Arabic; the page
    footers are artifacts. Long text crossing a page is split into blocks, never one across pages."""
    reader = PdfReader(io.BytesIO(render_pdf(application(need_description="ابني يحتاج إلى رعاية في الليل. " * 80))))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    document = root["/StructTreeRoot"]["/K"][0].get_object() if isinstance(root["/StructTreeRoot"]["/K"], list) \
        else root["/StructTreeRoot"]["/K"].get_object()
    kinds = [kid.get_object()["/S"] for kid in document["/K"]]
    assert kinds[0] == "/H1" and kinds.count("/H2") >= 7 and kinds.count("/P") > 20
    contents = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b"/Lang (ar)" in contents and contents.count(b"/Artifact BMC") == len(reader.pages) > 1
    for page in reader.pages:  # every marked sequence ends on the page it starts on
        data = page.get_contents().get_data()
        assert data.count(b"BDC") + data.count(b"BMC") == data.count(b"EMC")
