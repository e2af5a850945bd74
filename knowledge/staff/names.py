"""The Norwegian names staff read instead of internal keys, in one place for every staff page and
the PDF (issue 17: two ``STATUS_NAMES`` and four language-name lists had drifted apart). Field
labels stay with the records they label (``knowledge.staff.content.FIELD_LABELS``,
``knowledge.staff.contacts.FIELD_NAMES``)."""
from __future__ import annotations

#: Languages, as a Norwegian sentence names them ("Samtalespråk: arabisk").
LANGUAGES = {"nb": "norsk (bokmål)", "nn": "norsk (nynorsk)", "en": "engelsk", "ar": "arabisk", "ti": "tigrinja"}

#: A text's translation status.
TRANSLATION_STATUS = {"source": "kilde", "reviewed": "kontrollert", "machine_drafted": "maskinoversatt utkast",
                      "out_of_date": "utdatert (norsk er endret)", "missing": "mangler"}

ROLES = {"editor": "redaktør", "case_worker": "saksbehandler", "admin": "administrator"}
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
UNITS = {"hours_per_week": "timer i uka", "age": "år (alder)", "years": "år", "count": "antall"}

#: An application's delivery to the coordinating unit.
DELIVERY = {"delivered": "Levert", "submitted": "Venter på levering"}
#: A call-back request's handling.
HANDLING = {"new": "Ny", "taken": "Tatt", "done": "Ferdig"}
#: Why a live chat ended.
CHAT_ENDINGS = {"family": "familien avsluttet", "case_worker": "saksbehandler avsluttet",
                "office_closed": "kontoret stengte", "no_case_worker": "ingen saksbehandler tilgjengelig"}

#: The indicative check's results.
CHECK_OUTCOMES = {"likely_eligible": "trolig rett", "needs_assessment": "må vurderes av saksbehandler",
                  "need_more_info": "ikke nok opplysninger", "likely_not_eligible": "trolig ikke rett"}
#: What became of a family's message (knowledge.insight.usage).
TURN_RESULTS = {"answered": "besvart", "clarified": "fikk forslag til tjenester", "refused": "ikke forstått eller utenfor",
                "person": "ba om en person"}
#: What families sent to the coordinating unit.
SENT = {"application": "søknader", "callback": "ønsker om å bli ringt opp"}

#: Why a question is on the unanswered list.
UNANSWERED_REASONS = {"not_understood": "Veiviser forsto ikke spørsmålet",
                      "out_of_scope": "utenfor det Veiviser svarer på",
                      "low_confidence": "besvart, men Veiviser var usikker",
                      "clarified": "Veiviser var usikker og foreslo noen tjenester"}
#: What the model thought was asked, in words an editor knows (never the intent's internal name).
GUESSES = {"ask_service": "om en tjeneste", "ask_eligibility": "om rett til en tjeneste", "apply": "om å søke",
           "ask_cost": "om pris", "ask_who_decides": "om hvem som bestemmer", "ask_after_applying": "om hva som skjer etter søknaden",
           "ask_appeal": "om klage", "ask_contact": "om kontakt og åpningstider", "ask_services_overview": "om hvilke tjenester som finnes",
           "ask_what_we_can_get": "om hva familien kan få", "human_handoff": "om å snakke med en person",
           "change_language": "om å bytte språk", "greet": "en hilsen", "goodbye": "en avslutning", "thank": "en takk",
           "affirm": "et ja", "deny": "et nei", "stop": "å avbryte", "dont_know": "«vet ikke»", "start_over": "å begynne på nytt",
           "out_of_scope": "noe utenfor det Veiviser svarer på", "nlu_fallback": "ingen ting Veiviser kjente igjen"}


def language(code: str | None) -> str:
    """A language code as staff read it; an unknown code as it is, none as «ukjent»."""
    return LANGUAGES.get(code or "", code or "ukjent")
