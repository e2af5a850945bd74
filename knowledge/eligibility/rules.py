"""Eligibility criteria as small rules, each with its source and the date it applies from.

A rule reads facts and returns a Finding: met, not met, unknown (a fact is missing: ask it),
assessment (left to the case worker's judgement, or the family does not know), or info.
Thresholds come from parameters.yml. Texts are English gettext ids, translated when shown.
Where the sources disagree, the newest municipal source (the May 2025 brochure) wins.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from knowledge.eligibility.parameters import param
from knowledge.i18n import mark as _

MET, NOT_MET, UNKNOWN, ASSESS, INFO = "met", "not_met", "unknown", "assessment", "info"
MISSING = object()  # a fact not asked yet; None means "we don't know"


@dataclass(frozen=True)
class Finding:
    status: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSource:
    document: str | None = None
    section: str | None = None
    law: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    service: str
    facts: tuple[str, ...]
    source: RuleSource
    valid_from: date
    check: Callable[[Facts, date], Finding | None]


class Facts:
    """Facts with three states: a value, None ("don't know"), or MISSING (not asked)."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def get(self, name: str) -> Any:
        return self._values.get(name, MISSING)


RULES: list[Rule] = []


def rule(id: str, service: str, facts: tuple[str, ...], valid_from: str, document: str | None = None,
         section: str | None = None, law: str | None = None):
    def register(check):
        RULES.append(Rule(id, service, facts, RuleSource(document, section, law), date.fromisoformat(valid_from), check))
        return check
    return register


def requires(facts: Facts, name: str, met: str, not_met: str, dont_know: str, **values: Any) -> Finding:
    """The common shape: a yes/no fact that must be yes."""
    value = facts.get(name)
    if value is MISSING:
        return Finding(UNKNOWN, met, values, missing=(name,))
    if value is None:
        return Finding(ASSESS, dont_know, values)
    return Finding(MET, met, values) if value else Finding(NOT_MET, not_met, values)


def coordinated_need(facts: Facts, day: date) -> Finding:
    """Long-term, coordinated services: asked directly, or counted (two or more services)."""
    minimum = int(param("coordination.min_services", day))
    need, count = facts.get("needs_long_term_coordinated_services"), facts.get("number_of_services")
    counted = isinstance(count, (int, float)) and not isinstance(count, bool)
    met = _("The child needs long-term, coordinated services ({minimum} or more services that must work together).")
    not_met = _("The child does not seem to need {minimum} or more services that must be coordinated.")
    if need is False:  # the family says the need is not long-term and coordinated: a count does not overrule that
        return Finding(NOT_MET, not_met, {"minimum": minimum})
    if need is True or (counted and count >= minimum):
        return Finding(MET, met, {"minimum": minimum})
    if need is MISSING:
        return Finding(UNKNOWN, met, {"minimum": minimum}, missing=("needs_long_term_coordinated_services",))
    if count is MISSING:
        return Finding(UNKNOWN, met, {"minimum": minimum}, missing=("number_of_services",))
    if count is None:
        return Finding(ASSESS, _("You are not sure whether the child needs coordinated services; the coordinating unit assesses this."))
    return Finding(NOT_MET, not_met, {"minimum": minimum})


def age_at_most(facts: Facts, limit: float, met: str, not_met: str, **values: Any) -> Finding:
    age = facts.get("age")
    if age is MISSING:
        return Finding(UNKNOWN, met, values, missing=("age",))
    if age is None:
        return Finding(ASSESS, _("The child's age is not known; the case worker will check it."))
    years = math.floor(age)  # ages are whole years as people say them: at 66½ one is 66, so "under 67"
    return Finding(MET if years <= limit else NOT_MET, met if years <= limit else not_met, {"limit": int(limit), **values})


DISABILITY = "has_disability_or_long_term_illness"
DISABILITY_MET = _("The child has a disability or a long-term illness.")
DISABILITY_NOT_MET = _("The service is for children with a disability or a long-term illness.")
DISABILITY_DONT_KNOW = _("You are not sure about a disability or long-term illness; the case worker assesses this, often with the doctor.")


def disability(facts: Facts, day: date) -> Finding:
    return requires(facts, DISABILITY, DISABILITY_MET, DISABILITY_NOT_MET, DISABILITY_DONT_KNOW)


# --- BPA ---------------------------------------------------------------------------------------

@rule("bpa.age", "bpa", ("age",), "2015-01-01", "temaplan-voksne-2019", "Brukerstyrt personlig assistanse (BPA)",
      "pasient- og brukerrettighetsloven § 2-1 d")
def bpa_age(facts, day):
    """2019 adult plan, Brukerstyrt personlig assistanse (BPA): "Personer under 67 år med langvarig og stort behov for
    personlig assistanse etter helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav b har rett til å få
    slike tjenester organisert som brukerstyrt personlig assistanse." The right is read as ending at 67 (checked as
    age 66 or less)."""
    limit = param("bpa.max_age", day)
    return age_at_most(facts, limit - 1, _("The right to BPA applies to people under {limit_plus} years."),
                       _("The right to BPA applies to people under {limit_plus} years."), limit_plus=int(limit))


@rule("bpa.duration", "bpa", ("need_duration_over_two_years",), "2015-01-01", "brosjyre-hvk-2025",
      "Brukerstyrt personlig assistanse (BPA)")
def bpa_duration(facts, day):
    """Brochure 2025, Brukerstyrt personlig assistanse (BPA): "Retten til å organisere disse tjenestene som BPA, er når
    behovet for tjenester har en varighet ut over to år." A need of two years or less gives no right."""
    years = int(param("bpa.min_duration_years", day))
    return requires(facts, "need_duration_over_two_years",
                    _("The need for help will last more than {years} years."),
                    _("BPA is a right only when the need for help lasts more than {years} years."),
                    _("You are not sure how long the need will last; the case worker assesses this."), years=years)


@rule("bpa.hours", "bpa", ("weekly_assistance_hours",), "2015-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Brukerstyrt personlig assistanse", "pasient- og brukerrettighetsloven § 2-1 d")
def bpa_hours(facts, day):
    """2019 plan, 5.0 Brukerstyrt personlig assistanse: "For å ha rett til å få bistanden organisert som BPA må
    barnet/ungdommen ha behov for bistand utover to år og mer enn 32 timer per uke. Er hjelpebehovet mellom 25 og 32
    timer per uke, har en rett til BPA dersom kommunen ikke kan dokumentere at BPA vil være vesentlig dyrere for
    kommunen." Brochure 2025, BPA: "Omfanget må være minst 32 timer per uke, men kan vurderes ned mot 25 timer per
    uke." Exactly 32 hours counts as a right, following the brochure's "minst" over the plan's "mer enn"."""
    right, low = param("bpa.right_min_weekly_hours", day), param("bpa.assessment_min_weekly_hours", day)
    values = {"right": int(right), "low": int(low)}
    hours = facts.get("weekly_assistance_hours")
    if hours is MISSING:
        return Finding(UNKNOWN, "", values, missing=("weekly_assistance_hours",))
    if hours is None:
        return Finding(ASSESS, _("The number of hours is not known yet; the municipality maps it and decides the hours."), values)
    values["hours"] = f"{hours:g}"
    if hours >= right:
        return Finding(MET, _("{hours} hours a week: at least {right} hours a week gives a right to BPA."), values)
    if hours >= low:
        return Finding(ASSESS, _("{hours} hours a week: between {low} and {right} hours a week gives a right to BPA unless the municipality documents that BPA would be much more expensive. The case worker assesses this."), values)
    return Finding(NOT_MET, _("{hours} hours a week: under {low} hours a week gives no right to BPA, though the municipality can still consider it."), values)


@rule("bpa.helpers_and_night", "bpa", ("needs_more_than_one_helper_at_once", "needs_night_assistance", "continuous_need"),
      "2015-01-01", "brosjyre-hvk-2025", "Brukerstyrt personlig assistanse (BPA)")
def bpa_helpers_and_night(facts, day):
    """Brochure 2025, Brukerstyrt personlig assistanse (BPA): "En har ikke rett til BPA når hjelpen krever at det er
    flere enn en tjenesteyter til stede, eller hvis behovet for tjenester er om natten. Unntaket er ved kontinuerlig
    behov." The exception for a continuous need is read as covering both the two-helper case and the night case."""
    helpers, night = facts.get("needs_more_than_one_helper_at_once"), facts.get("needs_night_assistance")
    if helpers is True or night is True:
        continuous = facts.get("continuous_need")
        if continuous is True:
            return Finding(MET, _("The need is continuous, so needing two helpers at once or help at night does not rule out BPA."))
        if continuous is False:
            return Finding(NOT_MET, _("There is no right to BPA when more than one helper is needed at once or the help is needed at night, unless the need is continuous."))
        if continuous is MISSING:
            return Finding(UNKNOWN, "", missing=("continuous_need",))
        return Finding(ASSESS, _("Two helpers at once or help at night rules out BPA unless the need is continuous; the case worker assesses this."))
    missing = tuple(name for name, value in (("needs_more_than_one_helper_at_once", helpers),
                                             ("needs_night_assistance", night)) if value is MISSING)
    if missing:
        return Finding(UNKNOWN, "", missing=missing)
    if helpers is None or night is None:
        return Finding(ASSESS, _("Whether two helpers or night-time help is needed is not known; the case worker assesses this."))
    return Finding(MET, _("One helper at a time and no help at night: nothing rules out BPA."))


@rule("bpa.children", "bpa", ("age",), "2025-05-01", "brosjyre-hvk-2025", "Brukerstyrt personlig assistanse (BPA)")
def bpa_children(facts, day):
    """Brochure 2025, Brukerstyrt personlig assistanse (BPA): "For barn er foresatte arbeidsleder i BPA-ordningen.
    Arbeidsleder rekrutterer assistenter." and "BPA innvilges i hovedsak ikke i den tiden barnet er i barnehage
    eller på skole/SFO." Shown to children under the children's-services age as information, not as a condition."""
    age = facts.get("age")
    if age is MISSING or age is None or age >= param("children_services.max_age", day):
        return None
    return Finding(INFO, _("For children, the parents lead the arrangement and recruit the assistants. BPA is mainly not granted for the time the child is in kindergarten or at school/SFO."))


# --- Relief care -------------------------------------------------------------------------------

@rule("relief_care.disability", "relief_care", (DISABILITY,), "2019-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Avlastningstiltak")
def relief_disability(facts, day):
    """2019 plan, 5.0 Avlastningstiltak, one of the "Momenter som inngår i vurderingen": "barnet/ungdommen er mellom 3
    og 18 år og har varig funksjonsnedsettelse og behov for pleie og tilsyn utover det som er vanlig for barn på
    samme alder". A point weighed, not a condition (the law, helse- og omsorgstjenesteloven § 3-6, rests relief on the
    family's particularly heavy care work): without a disability or long-term illness the case worker weighs it."""
    found = requires(facts, DISABILITY, _("The child has a disability or long-term illness, one of the points the municipality weighs."),
                     "", DISABILITY_DONT_KNOW)
    if found.status == NOT_MET:
        return Finding(ASSESS, _("Relief care is mostly given for children with a lasting disability; without one, the case worker weighs it together with the care burden."))
    return found


@rule("relief_care.age", "relief_care", ("age", "serious_illness_extensive_difficulties"), "2019-01-01",
      "temaplan-barn-2019", "5.0 Tjenestetilbudet – Avlastningstiltak")
def relief_age(facts, day):
    """2019 plan, "Momenter som inngår i vurderingen: barnet/ungdommen er mellom 3 og 18 år … ;
    barnet er under 3 år, men har alvorlig sykdom med omfattende vansker". These are points the
    municipality weighs, not limits: under 3 without serious illness weighs against, and the case
    worker assesses; from 18 the children's services end (adult services take over)."""
    low, high = int(param("relief_care.min_age", day)), int(param("relief_care.max_age", day))
    values = {"low": low, "high": high}
    age = facts.get("age")
    if age is MISSING:
        return Finding(UNKNOWN, "", values, missing=("age",))
    if age is None:
        return Finding(ASSESS, _("The child's age is not known; the case worker will check it."), values)
    if age >= high:  # "0–18 år": the children's services end at the 18th birthday, as for support contact
        return Finding(NOT_MET, _("Relief care for children is for ages {low} to {high}; from 18, adult services take over."), values)
    if age >= low:
        return Finding(MET, _("The child is between {low} and {high} years old."), values)
    under = requires(facts, "serious_illness_extensive_difficulties",
                     _("The child is under {low}, and relief care is possible because of serious illness with extensive difficulties."),
                     "", _("The child is under {low}; whether the illness is serious enough is for the case worker to assess."), **values)
    if under.status == NOT_MET:  # a point weighed against, not a bar
        return Finding(ASSESS, _("The child is under {low} and has no serious illness; the municipality weighs age as one point among several, so the case worker assesses it."), values)
    return under


@rule("relief_care.burden", "relief_care", ("heavy_care_burden",), "2019-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Avlastningstiltak", "helse- og omsorgstjenesteloven § 3-6")
def relief_burden(facts, day):
    """2019 plan, 5.0 Avlastningstiltak: "Avlastningstiltak er forbeholdt foresatte som har et særlig tyngende
    omsorgsarbeid." Read as a condition that must be met."""
    return requires(facts, "heavy_care_burden", _("The family has a particularly heavy care burden."),
                    _("Relief care is for families with a particularly heavy care burden."),
                    _("You are not sure whether the care burden counts as particularly heavy; the case worker maps this with you."))


@rule("relief_care.scope", "relief_care", (), "2025-05-01", "brosjyre-hvk-2025", "Avlastningstiltak")
def relief_scope(facts, day):
    """Brochure 2025, Avlastningstiltak: "Om det innvilges avlastning og i hvilket omfang, vurderes ut fra [the office]
    sin kartlegging." and "Det kan også vurderes tilsynsordninger før/etter skoletid og i skolens ferier." Shown as
    information."""
    return Finding(INFO, _("Whether relief care is granted, and how much, is decided after the office has mapped your situation; other measures are considered too."))


# --- Companion card, Starthjelp ----------------------------------------------------------------

@rule("companion_card.disability", "companion_card", (DISABILITY,), "2019-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Ledsagerbevis")
def companion_disability(facts, day):
    """2019 plan, 5.0 Ledsagerbevis: "Alle barn og unge over 8 år med funksjonsnedsettelser kan søke om ledsagerbevis.
    Ledsagerordningen er for mennesker som trenger ledsager når de deltar på kultur- og fritidstilbud." Only the
    disability is checked here; the age is left to companion_age."""
    return requires(facts, DISABILITY, _("The child has a disability and may need a companion at cultural and leisure events."),
                    _("The companion card is for people with a disability who need a companion."), DISABILITY_DONT_KNOW)


@rule("companion_card.age", "companion_card", (), "2025-05-01", "temaplan-barn-2019", "5.0 Tjenestetilbudet – Ledsagerbevis")
def companion_age(facts, day):
    """2019 plan: "Alle barn og unge over 8 år med funksjonsnedsettelser kan søke om ledsagerbevis"; the 2025 brochure gives no
    age. The newest source wins, so the check asks no age, and says so."""
    return Finding(INFO, _("The municipality's 2019 plan said children over 8 can apply; the newest brochure gives no age, so this check does not use the age. Ask where you apply."))


@rule("starthjelp.age", "starthjelp", ("age",), "2017-01-01", "temaplan-barn-2019", "7.5.3 Pårørendestøtte – Starthjelp")
def starthjelp_age(facts, day):
    """2019 plan, 7.5.3 Pårørendestøtte: "Starthjelp Er lærings- og mestringstilbud som retter seg mot foreldre med
    barn mellom 0-6 år." Read as ages 0 to 6, both included."""
    return age_at_most(facts, param("starthjelp.max_child_age", day), _("Starthjelp is for parents of children aged 0 to {limit}."),
                       _("Starthjelp is for parents of children aged 0 to {limit}; the child is older."))


@rule("starthjelp.disability", "starthjelp", (DISABILITY,), "2017-01-01", "temaplan-barn-2019", "7.5.3 Pårørendestøtte – Starthjelp")
def starthjelp_disability(facts, day):
    """2019 plan, 7.5.3 Pårørendestøtte, Starthjelp: "Barn som har nedsatt funksjonsevne eller langvarig sykdom." Read
    as the condition on the child whose parents take part."""
    return disability(facts, day)


# --- Care allowance ----------------------------------------------------------------------------

@rule("care_allowance.burden", "care_allowance", ("heavy_care_burden",), "2025-05-01", "brosjyre-hvk-2025", "Omsorgsstønad",
      "helse- og omsorgstjenesteloven § 3-6")
def care_burden(facts, day):
    """Brochure 2025, Omsorgsstønad: "Personer som har særlig tyngende omsorgsarbeid, og som utfører oppgaver som
    ellers måtte vært utført av kommunen, kan innvilges omsorgsstønad." Only the heavy care burden is asked; the
    result says the second half is the case worker's to assess."""
    return requires(facts, "heavy_care_burden", _("You do particularly heavy care work; whether it is work the municipality would otherwise have had to do is for the case worker to assess."),
                    _("Care allowance is for particularly heavy care work."),
                    _("You are not sure whether the care work counts as particularly heavy; the case worker assesses this."))


@rule("care_allowance.nav_first", "care_allowance", ("applied_for_nav_assistance_allowance",), "2025-05-01",
      "brosjyre-hvk-2025", "Omsorgsstønad")
def care_nav_first(facts, day):
    """Brochure 2025, Omsorgsstønad: "Før søknad om omsorgsstønad behandles, er det et krav om at de har søkt
    hjelpestønad fra NAV. Søknad om omsorgsstønad vil bli behandlet selv om søknaden om hjelpestønad ikke er
    ferdigbehandlet av NAV." Having applied is enough; a decision from NAV is not needed."""
    return requires(facts, "applied_for_nav_assistance_allowance",
                    _("You have applied to NAV for assistance allowance (hjelpestønad); the application is processed even if NAV has not finished."),
                    _("Apply to NAV for assistance allowance (hjelpestønad) first: that is required before care allowance is considered."),
                    _("Check whether you have applied to NAV for assistance allowance (hjelpestønad): it is required first."))


@rule("care_allowance.assessment", "care_allowance", (), "2019-01-01", "temaplan-barn-2019", "5.0 Tjenestetilbudet – Omsorgsstønad")
def care_assessment(facts, day):
    """2019 plan, 5.0 Omsorgsstønad: "Det må vurderes som best og hensiktsmessig for barnet at foresatte utfører
    omsorgsoppgavene. Omsorgslønn må ses i sammenheng med andre tiltak som kan lette foreldrenes omsorgsoppgaver."
    Brochure 2025, Omsorgsstønad: "Dersom foresatte/den pårørende mottar uføretrygd, økonomisk sosialhjelp eller
    andre økonomiske ytelser fra NAV og kommune, kan disse ytelsene bli avkortet ved vedtak om omsorgsstønad."
    Always left to the case worker."""
    return Finding(ASSESS, _("The case worker assesses whether it is best for the child that you do the care work, together with other help that could ease it. Other benefits may be reduced."))


# --- Coordination: coordinator, individual plan, child coordinator -----------------------------

@rule("coordinator.need", "coordinator", ("needs_long_term_coordinated_services", "number_of_services"), "2012-01-01",
      "temaplan-voksne-2019", "2. Verdigrunnlag og sentrale føringer – Koordinator og individuell plan",
      "helse- og omsorgstjenesteloven § 7-2; pasient- og brukerrettighetsloven § 2-5 a")
def coordinator_need(facts, day):
    """Trondheim's 2019 adult plan, 2. Verdigrunnlag og sentrale føringer: "For pasienter og brukere med behov for
    langvarige og koordinerte tjenester etter helse- og omsorgstjenesteloven, skal kommunen tilby koordinator, jf.
    helse- omsorgstjenesteloven § 7-2." The plan does not say what "koordinerte" takes; Bærum's KE seminar (2019)
    reads it as "to eller flere helse og- omsorgstjenester som det er behov for å koordinere", and so does this
    rule, as a reading, not a Trondheim source. The family's own answer wins; otherwise two or more services
    count as the need."""
    return coordinated_need(facts, day)


@rule("individual_plan.need", "individual_plan", ("needs_long_term_coordinated_services", "number_of_services"), "2012-01-01",
      "brosjyre-hvk-2025", "Individuell plan", "pasient- og brukerrettighetsloven § 2-5")
def individual_plan_need(facts, day):
    """Brochure 2025, Individuell plan: "Barn som har behov for langvarige og koordinerte helse- og omsorgstjenester,
    har rett til å få utarbeidet individuell plan." (the 2019 adult plan says the same and cites pasient- og
    brukerrettighetsloven § 2-5). The need is read as in coordinator.need (two or more services)."""
    return coordinated_need(facts, day)


@rule("individual_plan.no_extra_services", "individual_plan", (), "2012-01-01", "brosjyre-hvk-2025", "Individuell plan",
      "pasient- og brukerrettighetsloven § 2-5")
def individual_plan_info(facts, day):
    """Brochure 2025, Individuell plan: "Individuell plan er et verktøy for samhandling og samarbeid." That it
    gives no right to more services is said outright only by Bærum's KE seminar (2019): "IP gir ikke rett til
    flere tjenester"; the law gives a right to the plan (pasient- og brukerrettighetsloven § 2-5), and the
    services are applied for on their own. Shown as information."""
    return Finding(INFO, _("An individual plan is a tool for cooperation; it does not give a right to more services."))


@rule("child_coordinator.condition", "child_coordinator", (DISABILITY,), "2025-05-01", "brosjyre-hvk-2025", "Barnekoordinator")
def child_coordinator_condition(facts, day):
    """Brochure 2025: "For familier som har eller venter barn med alvorlig sykdom, skade eller nedsatt
    funksjonsevne …". The check asks about a disability or long-term illness, which is not the same
    as "serious": a yes means the coordinating unit assesses how serious, not that it is met."""
    found = requires(facts, DISABILITY, "",
                     _("A child coordinator is for families with a child who has a serious illness, injury or disability."),
                     DISABILITY_DONT_KNOW)
    if found.status == MET:
        return Finding(ASSESS, _("You said the child has a disability or a long-term illness; a child coordinator is for a serious illness, injury or disability, and the coordinating unit assesses this."))
    return found


@rule("child_coordinator.need", "child_coordinator", ("needs_long_term_coordinated_services", "number_of_services"),
      "2025-05-01", "brosjyre-hvk-2025", "Barnekoordinator")
def child_coordinator_need(facts, day):
    """Brochure 2025, Barnekoordinator: "… og som vil ha behov for langvarige og sammensatte eller koordinerte helse-
    og omsorgstjenester og andre velferdstjenester, kan kommunen oppnevne en barnekoordinator." The check asks
    about health and care services only (as in coordinator.need); the brochure also counts other welfare services
    (NAV, kindergarten, school), so a "no" or a low count is not a "no" here: the coordinating unit assesses it."""
    found = coordinated_need(facts, day)
    if found.status == NOT_MET:
        return Finding(ASSESS, _("A child coordinator is also for needs that include other welfare services, such as NAV, kindergarten or school, not only health and care services; the coordinating unit assesses the whole need."))
    return found


@rule("child_coordinator.discretion", "child_coordinator", (), "2025-05-01", "brosjyre-hvk-2025", "Barnekoordinator",
      "pasient- og brukerrettighetsloven § 2-5 b; helse- og omsorgstjenesteloven § 7-2 a")
def child_coordinator_discretion(facts, day):
    """The 2025 brochure says "kan kommunen oppnevne en barnekoordinator"; since 2022 the law makes
    it a right for families who meet the conditions, so the assessment is whether they are met."""
    return Finding(ASSESS, _("Families who meet these conditions have a right to a child coordinator; the coordinating unit assesses whether they are met."))


# --- Leisure, home health care, after-school supervision ----------------------------------------

@rule("support_contact.disability", "support_contact", (DISABILITY,), "2025-05-01", "brosjyre-hvk-2025",
      "Støttekontakt og tilrettelagt fritid")
def support_contact_disability(facts, day):
    """Brochure 2025, Støttekontakt og tilrettelagt fritid: "For barn og unge med funksjonsnedsettelser, kan det
    vurderes personlig tilrettelegging og hjelp for å ha en aktiv og meningsfull fritid sammen med andre." A
    long-term illness is accepted as well as a disability."""
    return disability(facts, day)


@rule("support_contact.age", "support_contact", ("age",), "2025-05-01", "brosjyre-hvk-2025", "Helse- og velferdskontor 0–18 år")
def support_contact_age(facts, day):
    """Brochure 2025: the office is for ages 0–18 ("0–18 år"); from 18 the adult services
    handle it. An 18-year-old is not "under 18"."""
    limit = param("children_services.max_age", day)
    age = facts.get("age")
    if age is MISSING:
        return Finding(UNKNOWN, "", missing=("age",))
    if age is None:
        return Finding(ASSESS, _("The child's age is not known; the case worker will check it."))
    values = {"limit": int(limit)}
    if age < limit:
        return Finding(MET, _("The child is under {limit}, so the children's office handles it."), values)
    return Finding(NOT_MET, _("From {limit}, support contact is handled by the adult services, not the children's office."), values)


@rule("support_contact.assessment", "support_contact", (), "2025-05-01", "brosjyre-hvk-2025", "Støttekontakt og tilrettelagt fritid")
def support_contact_assessment(facts, day):
    """Brochure 2025, Støttekontakt og tilrettelagt fritid: "Tilretteleggingen kan være i form av deltakelse i en
    tilrettelagt fritidsgruppe eller deltakelse sammen med støttekontakt." and "Transport til og fra aktiviteter er
    i utgangspunktet foresattes ansvar." Always left to the case worker."""
    return Finding(ASSESS, _("Support contact or an adapted leisure group can be considered; the case worker assesses what fits. Transport to activities is normally the parents' responsibility."))


@rule("home_health_care.disability", "home_health_care", (DISABILITY,), "2025-05-01", "brosjyre-hvk-2025",
      "Helsetjenester i hjemmet og praktisk bistand")
def home_care_disability(facts, day):
    """Brochure 2025, Helsetjenester i hjemmet og praktisk bistand: "Helsetjenester i hjemmet til barn innvilges i
    hovedsak til alvorlig eller kronisk syke barn med funksjonsnedsettelser, som krever oppfølging og/eller
    kontinuerlig overvåking av helsepersonell." "I hovedsak" (mainly), and practical help has no such condition, so
    a "no" to a disability or long-term illness is for the case worker to assess, not a refusal."""
    found = disability(facts, day)
    if found.status == NOT_MET:
        return Finding(ASSESS, _("Health care at home is mainly for children with a serious or chronic illness or a disability; the case worker assesses other needs, such as practical help."))
    return found


@rule("home_health_care.illness", "home_health_care", ("serious_illness_extensive_difficulties",), "2025-05-01",
      "brosjyre-hvk-2025", "Helsetjenester i hjemmet og praktisk bistand")
def home_care_illness(facts, day):
    """Brochure 2025, Helsetjenester i hjemmet og praktisk bistand: "… alvorlig eller kronisk syke barn med
    funksjonsnedsettelser, som krever oppfølging og/eller kontinuerlig overvåking av helsepersonell." and "Det kan
    innvilges praktisk bistand som hjelp til egenomsorg og personlig stell."
    Brochure 2025, "Helsetjenester i hjemmet og praktisk bistand": health care for seriously or
    chronically ill children, and practical help; without a serious illness the practical help is
    still assessed, so that answer is not a "no"."""
    value = facts.get("serious_illness_extensive_difficulties")
    if value is MISSING:
        return Finding(UNKNOWN, "", missing=("serious_illness_extensive_difficulties",))
    if value is False:  # the service also covers practical help, which does not need a serious illness
        return Finding(ASSESS, _("Health care at home is mainly for seriously or chronically ill children who need follow-up by health personnel; practical help with personal care can still be considered."))
    return Finding(ASSESS, _("Health care at home is given to seriously or chronically ill children who need follow-up or continuous monitoring; the extent is assessed individually."))


@rule("extended_after_school.disability", "extended_after_school", (DISABILITY,), "2019-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Utvidet skolefritidsordning (SFO) og tilsynsordning")
def after_school_disability(facts, day):
    """2019 plan, 5.0 heading "Utvidet skolefritidsordning (SFO) og tilsynsordning for barn og unge med omfattende
    hjelpebehov." and "tilsyn etter skoletid og i skolens ferier for ungdommer med særskilt behov". A disability or
    long-term illness is asked as the ground for that extensive need; a yes does not show the need is extensive,
    so it is assessed, not met. A no is not met: the plan describes the offer for these pupils only."""
    found = requires(facts, DISABILITY, "", _("Extended SFO and supervision are for pupils with extensive needs for help."),
                     DISABILITY_DONT_KNOW)
    if found.status == MET:
        return Finding(ASSESS, _("You said the child has a disability or a long-term illness; extended SFO and supervision are for pupils with extensive needs for help, and the office assesses how extensive they are."))
    return found


@rule("extended_after_school.age", "extended_after_school", ("age",), "2019-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Utvidet skolefritidsordning (SFO) og tilsynsordning")
def after_school_age(facts, day):
    """2019 plan: "tilbud om SFO/tilsynsordning på ungdomstrinnet og for elever i den videregående
    skole", "tilsyn etter skoletid og i skolens ferier … fra 8.- trinn og ut videregående skole", and
    "Det kreves ikke egenbetaling for utvidet SFO for elever på mellomtrinnet …". The middle grades
    (about age 10) come from the last sentence, which is about payment, so a younger age is not a
    "no": it is for the school and the office to say."""
    low, high = int(param("extended_after_school.min_age", day)), int(param("extended_after_school.max_age", day))
    age = facts.get("age")
    if age is MISSING:
        return Finding(UNKNOWN, "", missing=("age",))
    if age is None:
        return Finding(ASSESS, _("The child's age is not known; the case worker will check it."))
    if low <= math.floor(age) <= high:
        return Finding(ASSESS, _("Extended SFO and supervision after school and in the holidays are for pupils from the middle grades to the end of upper secondary school, when needed."), {"low": low, "high": high})
    if age < low:  # the plan describes the offer from the middle grades; it sets no lower limit as such
        return Finding(ASSESS, _("Our sources describe extended SFO and supervision for pupils from the middle grades (about age {low}); for a younger child, ask the school and the office."), {"low": low, "high": high})
    return Finding(NOT_MET, _("Extended SFO and supervision are for pupils from about age {low} (middle grades) to about {high} (end of upper secondary school)."), {"low": low, "high": high})


# --- Services without conditions of their own in the sources -----------------------------------

@rule("caregiver_training.burden", "caregiver_training", ("heavy_care_burden",), "2025-05-01", "brosjyre-hvk-2025",
      "Pårørendestøtte – Opplæring og veiledning", "helse- og omsorgstjenesteloven § 3-6")
def caregiver_burden(facts, day):
    """Brochure 2025, Pårørendestøtte: "Kommunen skal tilby nødvendig pårørendestøtte til personer med særlig tyngende
    omsorgsarbeid." and "[the office] har et veiledningsteam som gir pårørendestøtte i form av opplæring og
    veiledning etter vedtak." A "yes" is still assessed, as the training follows a decision."""
    value = requires(facts, "heavy_care_burden", _("The family has a particularly heavy care burden."),
                     _("Training and guidance as carer support is for families with particularly heavy care work."),
                     _("You are not sure whether the care burden counts as particularly heavy; the case worker maps this with you."))
    return value if value.status != MET else Finding(ASSESS, _("The guidance team gives training and guidance after a decision; the case worker assesses what you need."))


@rule("child_residence.need", "child_residence", (DISABILITY, "heavy_care_burden"), "2019-01-01", "temaplan-barn-2019",
      "5.0 Tjenestetilbudet – Barnebolig")
def child_residence_need(facts, day):
    """2019 plan, 5.0 Barnebolig: "For barn/unge med så store pleie og tilsynsbehov at foresatte ikke har mulighet til
    å ivareta den daglige omsorgen. Kan barnebolig vurderes som et egnet tiltak." A heavy care burden stands in for
    "cannot manage the daily care", so a "yes" is only assessed."""
    first = disability(facts, day)
    if first.status in (NOT_MET, UNKNOWN):
        return first
    burden = requires(facts, "heavy_care_burden", "", _("A children's residence is for children whose care needs are so great that the family cannot manage daily care."),
                      _("You are not sure whether the care burden is too heavy to manage at home; the case worker maps this with you."))
    if burden.status in (NOT_MET, UNKNOWN):
        return burden
    return Finding(ASSESS, _("A children's residence is considered when the care needs are so great that the family cannot manage daily care; it is assessed together with you."))


@rule("occupational_therapy.need", "occupational_therapy", (DISABILITY,), "2019-01-01", "temaplan-barn-2019", "5.0 Tjenestetilbudet – Ergoterapi")
def occupational_need(facts, day):
    """2019 plan, 5.0 Ergoterapi: "… vurderer ergoterapeuten sammen med barne/ungdomsgruppen, nærpersoner og
    samarbeidspartnere hvordan aktiviteter og inne/utemiljø kan legges til rette for å fremme mestring av
    hverdagsaktiviteter …" The text sets no condition of its own, so a "no" to disability is not a "no" to the
    service: the occupational therapist assesses either way."""
    first = disability(facts, day)
    if first.status == UNKNOWN:
        return first
    return Finding(ASSESS, _("The occupational therapist assesses, with you, how activities and surroundings can be adapted."))


@rule("physiotherapy.need", "physiotherapy", (DISABILITY,), "2019-01-01", "temaplan-barn-2019", "5.0 Tjenestetilbudet – Fysioterapi")
def physiotherapy_need(facts, day):
    """2019 plan, 5.0 Fysioterapi: "Til barn med medfødt eller tidlig ervervede sykdom/skade er fysioterapeuter ofte
    inne med tiltak i det barnet overføres fra spesialisthelsetjenesten." and "Du trenger ikke henvisning fra lege
    eller annet helsepersonell for å få oppfølging av fysioterapeut." The plan sets no disability condition, so
    without one the physiotherapist assesses; with one the plan's words apply."""
    found = requires(facts, DISABILITY, _("Children with a disability or illness can get follow-up from a physiotherapist, without a referral."),
                     "", DISABILITY_DONT_KNOW)
    if found.status == NOT_MET:
        return Finding(ASSESS, _("Physiotherapists work with function and movement for children in general; contact them without a referral, and they assess what is needed."))
    return found


@rule("family_measures.contact", "family_measures", (), "2019-01-01", "temaplan-barn-2019", "5.0 Tjenestetilbudet – Familietiltak")
def family_measures_contact(facts, day):
    """2019 plan, 5.0 Familietiltak: "Tiltaket er en del av [the office] på bydel og kan kontaktes direkte.
    Familietiltak vil ved behov kunne gi råd, veiledning og oppfølging av familieterapeut/psykolog til familier med
    store og sammensatte behov." and "Det er ikke behov for henvisning for å få hjelp fra familietiltak." Always
    left to the family and service."""
    return Finding(ASSESS, _("Family measures help families with great and complex needs; the extent is agreed with you. Contact them directly, no referral is needed."))


@rule("interpreter.available", "interpreter", (), "2019-01-01", "temaplan-barn-2019", "5.0 Tjenestetilbudet – Tolk")
def interpreter_available(facts, day):
    """2019 plan, 5.0 Tolk: "[the office] formidler og utfører tolke- og oversettelsestjenester på ca. 50 språk til
    alle enheter i Trondheim kommune." Always shown as met; the advice to ask for an interpreter is not in the
    seeds."""
    return Finding(MET, _("The municipal interpreting service covers about 50 languages for all municipal units; tell the service you meet that you need an interpreter."))
