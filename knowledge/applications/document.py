"""The application as the case worker receives it: a PDF in Norwegian and a structured JSON copy.

The PDF's labels are Norwegian (it is read by the coordinating unit, named in the payload); the family's own
words are kept in their own language and script. Text is shaped with HarfBuzz, so Arabic is
joined and runs right to left and Ethiopic syllables render, with fonts that cover each script
(see scripts/fetch_fonts.sh).

The PDF is tagged (a structure tree: H1, H2 and P, the family's own words with their language;
page footers are artifacts), has a title, a language and a bookmark per section, so a screen
reader reads it in order and a case worker can jump to a section.
"""
from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from knowledge.config import Settings, load_settings
from knowledge.staff import names

FONTS = {
    "latin": "DejaVuSans.ttf",
    "latin-bold": "DejaVuSans-Bold.ttf",
    "arabic": "NotoSansArabicUI-Regular.ttf",
    "ethiopic": "AbyssinicaSIL-Regular.ttf",
}
OSLO = ZoneInfo("Europe/Oslo")
#: 2: the child's date of birth in ISO 8601; "none" and "dont_know" kept as the family answered
#: (e-mail, current services, coordinator) instead of empty values and null.
JSON_SCHEMA = "veiviser-application/2"
CALLBACK_SCHEMA = "veiviser-callback/1"
#: How the family's "none" and "don't know" read in the PDF (knowledge.applications.fields).
ANSWER_WORDS_NB = {"none": "Ingen", "dont_know": "Vet ikke"}
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "… NOT subset; dropped" notes on every PDF


class FontsMissing(RuntimeError):
    """The PDF cannot be made without fonts for every script; the message says how to get them."""


def _font_dir(settings: Settings) -> Path:
    missing = [name for name in FONTS.values() if not (settings.font_dir / name).is_file()]
    if missing:
        raise FontsMissing(f"fonts missing in {settings.font_dir}: {', '.join(missing)}; run scripts/fetch_fonts.sh (make does)")
    return settings.font_dir


def _yes_no(value: Any) -> str:
    return {True: "Ja", False: "Nei", "dont_know": "Vet ikke"}.get(value, "Ikke oppgitt")


def _answer(value: Any) -> Any:
    """The family's "none" or "don't know" in words; other answers as given."""
    return ANSWER_WORDS_NB.get(value, value) if isinstance(value, str) else value


def _date_nb(value: str | None) -> str | None:
    """An ISO date as dd.mm.yyyy (older copies already hold dd.mm.yyyy)."""
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y") if value else value
    except ValueError:
        return value


def _local(moment: str | datetime) -> str:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")


class _ApplicationPdf(FPDF):
    def __init__(self, fonts: Path, reference: str, kind_nb: str = "Søknad"):
        super().__init__(format="A4")
        self.reference, self.kind_nb = reference, kind_nb
        for family, file in FONTS.items():
            self.add_font(family, "", str(fonts / file))
        self.set_fallback_fonts(["arabic", "ethiopic"])
        self.set_text_shaping(True)
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("latin", size=8)
        self._out("/Artifact BMC")  # page furniture, not part of the text a screen reader reads
        self.cell(0, 6, f"{self.kind_nb} {self.reference} · side {self.page_no()}/{{nb}}", align="C")
        self._out("EMC")

    @contextmanager
    def tagged(self, kind: str, lang: str | None = None) -> Iterator[None]:
        """What is written inside is one element of the structure tree (``H1``, ``H2``, ``P``),
        in ``lang`` when it is not the document's. fpdf2 builds the tree for its figures; this
        uses the same builder for text. The content must stay on one page (``block`` sees to that)."""
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{kind}", mcid=mcid)
        language = f" /Lang ({lang})" if lang else ""
        self._out(f"/{kind} <</MCID {mcid}{language}>> BDC")
        yield
        self._out("EMC")

    def block(self, text: str, height: float = 5.5, kind: str = "P", lang: str | None = None, align: str = "L") -> None:
        """A tagged block of text; one that does not fit on the page goes on as a second block on the next."""
        lines = self.multi_cell(0, height, text, dry_run=True, output=MethodReturnValue.LINES, align=align)
        while lines:
            room = math.floor((self.h - self.b_margin - self.get_y()) / height + 1e-6)
            if room < 1:
                self.add_page()
                continue
            with self.tagged(kind, lang):
                self.multi_cell(0, height, "\n".join(lines[:room]), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=align)
            lines = lines[room:]

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - self.b_margin - 30:  # never a heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.start_section(text)  # a bookmark per section, so a screen reader or a case worker can jump to it
        self.set_font("latin-bold", size=12)
        self.block(text, 7, kind="H2")
        self.set_font("latin", size=10)

    def field(self, label: str, value: Any) -> None:
        shown = str(value).strip() if value not in (None, "") else "Ikke oppgitt"
        self.set_font("latin-bold", size=10)
        self.block(label)
        self.set_font("latin", size=10)
        self.block(shown)
        self.ln(1)


def _first_page(data: dict[str, Any], settings: Settings, kind_nb: str, title: str, heading: str) -> _ApplicationPdf:
    """A document's start, the same for an application and a call-back: its metadata, the heading,
    and to whom, which reference, when and in which language."""
    pdf = _ApplicationPdf(_font_dir(settings), data["reference"], kind_nb)
    pdf.set_title(title)
    pdf.set_lang("nb")
    pdf.set_creator("Veiviser")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("latin-bold", size=15)
    pdf.block(heading, 8, kind="H1")
    pdf.set_font("latin", size=10)
    office = f"{data['office_nb']} (koordinerende enhet)" if data.get("office_nb") else "Kommunens koordinerende enhet"
    pdf.block(f"Til: {office}\nReferanse: {data['reference']}\nSendt inn: {_local(data['submitted_at'])}\n"
              f"Samtalespråk: {names.language(data['language'])}")
    return pdf


def render_pdf(application: dict[str, Any], settings: Settings | None = None) -> bytes:
    """The PDF for the case worker, from the same dictionary as the JSON copy (a callback request
    has its own, shorter one)."""
    settings = settings or load_settings()
    data = application
    if data.get("kind") == "callback":
        return _callback_pdf(data, settings)
    pdf = _first_page(data, settings, "Søknad", f"Søknad {data['reference']}: helse- og omsorgstjenester for barn og unge",
                      "Søknad om helse- og omsorgstjenester for barn og unge")

    guardian, child = data["guardian"], data["child"]
    pdf.heading("1. Søker (foresatt)")
    pdf.field("Navn", guardian.get("name"))
    pdf.field("Telefon", guardian.get("phone"))
    pdf.field("E-post", "Har ingen e-post" if guardian.get("email") == "none" else guardian.get("email"))
    pdf.field("Adresse", guardian.get("address"))

    pdf.heading("2. Barnet")
    pdf.field("Navn", child.get("name"))
    pdf.field("Fødselsdato", _date_nb(child.get("birth_date")))
    pdf.field("Fødselsnummer / D-nummer", child.get("identity_number"))

    pdf.heading("3. Tjenester det søkes om")
    pdf.block("\n".join(f"• {s['title_nb']}" for s in data["services"]) or "Ikke oppgitt")

    need_language = names.language(data.get("need_language"))
    pdf.heading(f"4. Familiens beskrivelse av behovet (skrevet på {need_language})")
    pdf.set_font("latin", size=11)
    own_words = data.get("need_language") if data.get("need_language") in names.LANGUAGES else None
    pdf.block(data.get("need_description") or "Ikke oppgitt", 6, lang=own_words if own_words != "nb" else None,
             align="R" if own_words == "ar" else "L")
    pdf.set_font("latin", size=10)

    pdf.heading("5. Tjenester barnet har i dag")
    pdf.block(_answer(data.get("current_services")) or "Ikke oppgitt")

    pdf.heading("6. Språk, tolk og koordinator")
    preferred = data.get("preferred_language")
    pdf.field("Foretrukket språk i kontakt med kommunen", names.language(preferred) if preferred else None)
    pdf.field("Trenger tolk", _yes_no(data.get("interpreter_needed")))
    pdf.field("Ønsker koordinator", _yes_no(data.get("coordinator_wanted")))

    checks = data.get("eligibility") or []
    if checks:
        pdf.heading("7. Veiledende sjekk i Veiviser (ikke et vedtak)")
        for check in checks:
            pdf.block(f"• {check['title_nb']}: {check['outcome_nb']}")
        facts = data.get("facts_nb") or []
        if facts:
            pdf.block("Opplysninger familien ga: " + "; ".join(facts))

    pdf.heading("Samtykke og bekreftelse")
    consent = data["consent"]
    pdf.block(f"Familien samtykket {_local(consent['decided_at'])} (samtykketekst versjon {consent['text_version']}) "
             "og bekreftet opplysningene i oppsummeringen før innsending. Søknaden er forhåndsutfylt i "
             "Veiviser; vurderingene der er bare veiledende, og kommunen vurderer og avgjør.")
    return bytes(pdf.output())


def _callback_pdf(data: dict[str, Any], settings: Settings) -> bytes:
    """A request to be called back: who, which number, when, in which language, and why."""
    pdf = _first_page(data, settings, "Tilbakeringing", f"Tilbakeringing {data['reference']}", "Ønske om å bli ringt opp")
    pdf.heading("1. Hvem som skal ringes")
    pdf.field("Navn", data["guardian"].get("name"))
    pdf.field("Telefon", data["guardian"].get("phone"))
    pdf.field("Beste tid å ringe", data.get("best_time_nb"))
    interpreter = data.get("interpreter_language")
    pdf.field("Tolk", f"Ja, {names.language(interpreter)}" if data.get("interpreter_needed") else "Nei")
    if data.get("service"):
        pdf.field("Tjeneste samtalen handlet om", data["service"].get("title_nb"))
    topic_language = data.get("topic_language") if data.get("topic_language") in names.LANGUAGES else None
    pdf.heading(f"2. Hva familien vil snakke om (skrevet på {names.LANGUAGES.get(topic_language or '', 'ukjent språk')})")
    pdf.set_font("latin", size=11)
    pdf.block(data.get("topic") or "Ikke oppgitt", 6, lang=topic_language if topic_language != "nb" else None,
              align="R" if topic_language == "ar" else "L")
    pdf.set_font("latin", size=10)
    pdf.heading("Samtykke")
    consent = data["consent"]
    pdf.block(f"Familien samtykket {_local(consent['decided_at'])} (samtykketekst versjon {consent['text_version']}) "
              "og bekreftet opplysningene før de ble sendt.")
    return bytes(pdf.output())


def render_json(application: dict[str, Any]) -> bytes:
    """The structured copy: the same fields, for systems that read applications."""
    schema = CALLBACK_SCHEMA if application.get("kind") == "callback" else JSON_SCHEMA
    return json.dumps({"schema": schema, **application}, ensure_ascii=False, indent=2, default=str).encode()
