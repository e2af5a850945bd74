"""Combines rule findings into an indicative outcome (the contract in DESIGN.md).

Any criterion clearly not met → likely_not_eligible (nothing more is asked). Otherwise a missing
fact → need_more_info with the facts still needed. Otherwise anything left to judgement (or not
known by the family) → needs_assessment. Otherwise likely_eligible. Every result says it is
indicative and who decides: the office named by the service's routing in the knowledge base
(callers look it up and pass its name), or, without one, "the office that handles it".
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from knowledge.eligibility.facts import validate_facts
from knowledge.eligibility.parameters import refresh as refresh_parameters
from knowledge.eligibility.rules import ASSESS, INFO, MET, NOT_MET, RULES, UNKNOWN, Facts, Rule
from knowledge.i18n import Translator, translator
from knowledge.i18n import mark as _
from knowledge.seed import CONTENT_DIR

OUTCOME_ORDER = ("likely_eligible", "needs_assessment", "need_more_info", "likely_not_eligible")
DISCLAIMER = _("This is an indicative check, not a decision. {office} assesses each application and decides.")
DISCLAIMER_NO_OFFICE = _("This is an indicative check, not a decision. The office that handles the service assesses each case and decides.")
#: The walk-through covers services that different offices decide.
DISCLAIMER_MANY_OFFICES = _("This is an indicative check, not a decision. The office that handles each service assesses each case and decides.")


def disclaimer(tr: Translator, office: str | None) -> str:
    """"Indicative, not a decision", naming the deciding office when the knowledge base knows it."""
    return tr.gettext(DISCLAIMER, office=tr.isolate(office)) if office else tr.gettext(DISCLAIMER_NO_OFFICE)


class UnknownEligibilityService(LookupError):
    """No eligibility rules exist for this service key."""


class NoRulesOnDate(ValueError):
    """The date is before the rules came into force: nothing can be said about it (not "likely
    eligible" with no reasons)."""


def eligibility_services() -> list[str]:
    return list(dict.fromkeys(r.service for r in RULES))


@lru_cache(maxsize=1)
def _document_titles() -> dict[str, str]:
    sources = yaml.safe_load((CONTENT_DIR / "sources.yml").read_text(encoding="utf-8"))["sources"]
    return {source["id"]: source["title"] for source in sources}


def source_text(rule: Rule) -> str:
    parts = []
    if rule.source.document:
        title = _document_titles()[rule.source.document]
        parts.append(f"{title}, {rule.source.section}" if rule.source.section else title)
    if rule.source.law:
        parts.append(rule.source.law)
    return "; ".join(parts)


def evaluate(service: str, facts: dict[str, Any], language: str = "nb", day: date | None = None,
             office: str | None = None) -> dict[str, Any]:
    """The outcome for one service; raises FactError or UnknownEligibilityService on bad input.
    ``office``: the name of whoever decides (the service's routing), for the disclaimer."""
    refresh_parameters()  # a value an editor just published applies to this check
    return _evaluate(service, facts, language, day, office)


def _evaluate(service: str, facts: dict[str, Any], language: str, day: date | None, office: str | None) -> dict[str, Any]:
    if service not in eligibility_services():
        raise UnknownEligibilityService(service)
    day = day or date.today()
    earliest = min(rule.valid_from for rule in RULES if rule.service == service)
    if day < earliest:
        raise NoRulesOnDate(f"no rules for {service} are in force on {day.isoformat()}; the earliest date is {earliest.isoformat()}")
    known = Facts(validate_facts(facts))
    tr = translator(language)
    findings = [(rule, finding) for rule in RULES if rule.service == service and rule.valid_from <= day
                for finding in [rule.check(known, day)] if finding is not None]
    statuses = {finding.status for _, finding in findings}
    missing = list(dict.fromkeys(name for _, finding in findings if finding.status == UNKNOWN for name in finding.missing))
    if NOT_MET in statuses:
        outcome, missing = "likely_not_eligible", []
        shown = (NOT_MET, INFO)
    elif missing:
        outcome = "need_more_info"
        shown = (MET, ASSESS, INFO)
    elif ASSESS in statuses:
        outcome = "needs_assessment"
        shown = (MET, ASSESS, INFO)
    else:
        outcome = "likely_eligible"
        shown = (MET, INFO)
    reasons = [
        {"rule": rule.id, "status": finding.status, "text": tr.gettext(finding.text, **finding.values),
         "source": source_text(rule)}
        for rule, finding in findings if finding.status in shown and finding.text
    ]
    return {"service": service, "outcome": outcome, "missing_facts": missing, "reasons": reasons,
            "disclaimer": disclaimer(tr, office), "language": tr.language}


def overview(facts: dict[str, Any], language: str = "nb", day: date | None = None,
             offices: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    """Every service's outcome for one family, the likely ones first (``offices``: who decides each)."""
    validate_facts(facts)
    refresh_parameters()  # once for all services
    offices = offices or {}
    results = [_evaluate(service, facts, language, day, offices.get(service)) for service in eligibility_services()]
    return sorted(results, key=lambda result: OUTCOME_ORDER.index(result["outcome"]))
