"""How the eligibility check speaks: questions, explanations when an answer cannot be used,
results with reasons and sources, and the walk-through's overview.

All fixed words are gettext ids (English) translated from ``locales/``; service names and
contacts come from the knowledge base. Outcomes and reasons come from the engine.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from knowledge.eligibility.dialogue import WALKTHROUGH
from knowledge.eligibility.engine import DISCLAIMER_MANY_OFFICES
from knowledge.eligibility.facts import FACTS
from knowledge.eligibility.parameters import param
from knowledge.i18n import Translator
from knowledge.i18n import mark as _
from knowledge.queries import ContactView, ServiceView
from knowledge.replies import Reply, button, format_phone, next_step_text, phone_line, service_card

QUESTIONS = {
    "age": _("How old is the child? Please answer in years, for example 7."),
    "has_disability_or_long_term_illness": _("Does the child have a disability or a long-term illness (with or without a diagnosis)?"),
    "weekly_assistance_hours": _("About how many hours a week does the child need help from an assistant? Please answer with a number, for example 20."),
    "need_duration_over_two_years": _("Will the child need this help for more than {years} years?"),
    "needs_more_than_one_helper_at_once": _("Does the child need two or more helpers at the same time?"),
    "needs_night_assistance": _("Does the child need help at night?"),
    "continuous_need": _("Is the need continuous, so that someone must be there all the time, day and night?"),
    "heavy_care_burden": _("Is caring for the child particularly heavy for your family, much more than for other children of the same age?"),
    "serious_illness_extensive_difficulties": _("Does the child have a serious illness with extensive difficulties?"),
    "applied_for_nav_assistance_allowance": _("Have you applied to NAV for assistance allowance ({term})?"),
    "needs_long_term_coordinated_services": _("Does the child need several health or care services over a long time, services that must work together ({minimum} or more)?"),
    "number_of_services": _("How many different health or care services does the child get or need now? Please answer with a number."),
}

LABELS = {
    "age": _("Age"),
    "has_disability_or_long_term_illness": _("Disability or long-term illness"),
    "weekly_assistance_hours": _("Hours of help a week"),
    "need_duration_over_two_years": _("Need lasts more than {years} years"),
    "needs_more_than_one_helper_at_once": _("Two or more helpers at once"),
    "needs_night_assistance": _("Help at night"),
    "continuous_need": _("Continuous need"),
    "heavy_care_burden": _("Particularly heavy care burden"),
    "serious_illness_extensive_difficulties": _("Serious illness with extensive difficulties"),
    "applied_for_nav_assistance_allowance": _("Applied to NAV for assistance allowance"),
    "needs_long_term_coordinated_services": _("Needs long-term, coordinated services"),
    "number_of_services": _("Number of services"),
}

HEADINGS = {
    "likely_eligible": _("{service}: you are likely to qualify."),
    "needs_assessment": _("{service}: you may qualify. Part of it is for the case worker to assess."),
    "need_more_info": _("{service}: I need a few more answers before I can say."),
    "likely_not_eligible": _("{service}: you probably do not qualify."),
}

GROUPS = {
    "likely_eligible": _("Likely to qualify (next step: apply):"),
    "needs_assessment": _("May qualify, the case worker assesses (next step: apply, or call to talk it over):"),
    "need_more_info": _("I need a few more answers (tap the service):"),
    "likely_not_eligible": _("Probably not:"),
}


def _values(day: date) -> dict[str, Any]:
    """The parameters questions and labels mention, so the words follow the data."""
    return {"years": int(param("bpa.min_duration_years", day)), "minimum": int(param("coordination.min_services", day))}


def _number(tr: Translator, value: float) -> str:
    return tr.isolate(f"{value:g}")


def check_step(fact: str) -> str:
    """The step a check question's buttons carry, so a tap on an older question's button is recognised."""
    return f"check_{fact}"


def answer_buttons(tr: Translator, fact: str) -> list[dict[str, str]]:
    _ = tr.gettext
    step = check_step(fact)
    buttons = [button(_("Yes"), "affirm", step=step), button(_("No"), "deny", step=step)] if FACTS[fact].kind == "bool" else []
    return buttons + [button(_("Don't know"), "dont_know", step=step), button(_("Stop the check"), "stop", step=step)]


def question_text(tr: Translator, fact: str, day: date) -> str:
    return tr.gettext(QUESTIONS[fact], term=tr.isolate("hjelpestønad"), **_values(day))


def question_reply(tr: Translator, fact: str, day: date, intro: str | None = None) -> Reply:
    text = question_text(tr, fact, day)
    return Reply(text=f"{intro}\n\n{text}" if intro else text, buttons=answer_buttons(tr, fact))


def intro_text(tr: Translator, scope: str, service_title: str | None, count: int) -> str:
    _ = tr.gettext
    if scope == WALKTHROUGH:
        opening = _("I can find out which services your family may be able to get. I will ask a few short questions (at most {count}).",
                    count=tr.isolate(str(count)))
    elif service_title:
        opening = _("I can check whether {service} may be right for your family. I will ask a few short questions (at most {count}).",
                    service=service_title, count=tr.isolate(str(count)))
    else:
        opening = _("I will ask a few short questions (at most {count}).", count=tr.isolate(str(count)))
    return " ".join([opening, _("If you are not sure, answer \"don't know\". To end, write \"stop\"."),
                     _("Your answers are used only for this check.")])


def explanation_text(tr: Translator, fact: str, problem: str) -> str:
    """Why the answer could not be used, and what kind of answer works."""
    _ = tr.gettext
    spec = FACTS[fact]
    if problem == "out_of_range":
        return _("That number does not look right here. Please answer with a number from {minimum} to {maximum}.",
                 minimum=_number(tr, spec.minimum), maximum=_number(tr, spec.maximum))
    if problem == "not_whole":
        return _("Please answer with a whole number, for example 2.")
    if spec.kind == "bool":
        return _("Sorry, I could not read that as an answer. Please answer yes, no or \"don't know\", or tap a button.")
    if fact == "age":
        return _("Sorry, I need the age as a number of years, for example 7. For a baby, you can write the months, for example \"8 months\". You can also answer \"don't know\".")
    return _("Sorry, I need a number, for example 20. You can also answer \"don't know\".")


def reask_reply(tr: Translator, fact: str, problem: str, day: date) -> Reply:
    return Reply(text=explanation_text(tr, fact, problem) + "\n\n" + question_text(tr, fact, day), buttons=answer_buttons(tr, fact))


def _fact_value(tr: Translator, name: str, value: Any) -> str:
    _ = tr.gettext
    if value is None:
        return _("don't know")
    if FACTS[name].kind == "bool":
        return _("yes") if value else _("no")
    if name == "age" and value < 1:
        return _("{months} months", months=_number(tr, round(value * 12)))
    return _number(tr, value)


def facts_lines(tr: Translator, facts: dict[str, Any], day: date) -> list[str]:
    """Each known fact as "label: value" (also what the case worker's PDF lists)."""
    return [f"{tr.gettext(LABELS[name], **_values(day))}: {_fact_value(tr, name, facts[name])}" for name in FACTS if name in facts]


def facts_summary(tr: Translator, facts: dict[str, Any], day: date) -> str:
    """"Based on your answers: …", so the family sees (and can correct) what the check used."""
    parts = facts_lines(tr, facts, day)
    return tr.gettext("Based on your answers: {facts}.", facts="; ".join(parts)) if parts else ""


def stopped_reply(tr: Translator, scope: str | None) -> Reply:
    _ = tr.gettext
    buttons = [restart_button(tr, scope)] if scope else []
    buttons += [button(_("Which services are there?"), "ask_services_overview"), button(_("Call us"), "ask_contact")]
    return Reply(text=_("All right, I have stopped the questions. You can ask me something else, or start the check again later."),
                 buttons=buttons)


def restart_button(tr: Translator, scope: str) -> dict[str, str]:
    if scope == WALKTHROUGH:
        return button(tr.gettext("Continue the check"), "ask_what_we_can_get")
    return button(tr.gettext("Continue the check"), "ask_eligibility", service=scope)


def paused_note(tr: Translator) -> str:
    return tr.gettext("(I have paused the check. Tap \"Continue the check\" when you want to go on.)")


def _reasons_text(tr: Translator, result: dict[str, Any]) -> str:
    lines = []
    for reason in result["reasons"]:
        lines.append(f"• {reason['text']}")
        if reason["source"]:
            lines.append("  " + tr.gettext("Source: {sources}", sources=tr.isolate(reason["source"])))
    return "\n".join(lines)


def result_replies(tr: Translator, result: dict[str, Any], service: ServiceView, contact: ContactView,
                   facts: dict[str, Any], day: date, helpline: ContactView | None = None) -> list[Reply]:
    """One service's outcome: heading, reasons with sources, what it was based on, the next step.
    ``contact`` is the service's own contact point (its routing); ``helpline`` the phone for
    talking it over (the contact itself when it has a phone)."""
    helpline = helpline or contact
    _ = tr.gettext
    outcome = result["outcome"]
    parts = [_(HEADINGS[outcome], service=service.title)]
    if result["reasons"]:
        parts.append(_("Why:") + "\n" + _reasons_text(tr, result))
    summary = facts_summary(tr, facts, day)
    if summary:
        parts.append(summary)
    parts.append(result["disclaimer"])
    if outcome in ("likely_eligible", "needs_assessment"):
        parts.append(next_step_text(tr, service, contact, helpline))
        buttons = [button(_("How do we apply?"), "apply", service=service.key), button(_("Call us"), "ask_contact")]
    elif outcome == "need_more_info":
        parts.append(_("Answer the remaining questions, or call {phone}.", phone=tr.isolate(_phone(helpline))))
        buttons = [restart_button(tr, service.key), button(_("Call us"), "ask_contact")]
    else:
        parts.append(_("If I have misunderstood your situation, or you want to talk it over: {phone_line}",
                       phone_line=phone_line(tr, helpline)))
        buttons = [button(_("What can we get?"), "ask_what_we_can_get"), button(_("Call us"), "ask_contact")]
    buttons.append(button(_("Change my answers"), "start_over", service=service.key))
    card = service_card(tr, service, "eligibility")
    card["eligibility"] = {key: result[key] for key in ("outcome", "missing_facts", "reasons", "disclaimer")}
    return [Reply(text="\n\n".join(parts), buttons=buttons), Reply(custom=card)]


def _phone(contact: ContactView) -> str:
    return format_phone(contact.phone or "")


def overview_replies(tr: Translator, results: list[dict[str, Any]], services: dict[str, ServiceView],
                     contact: ContactView, facts: dict[str, Any], day: date) -> list[Reply]:
    """The walk-through's answer: every service by outcome, likely ones first, each group with its next step."""
    _ = tr.gettext
    parts = [_("This is what your family may be able to get, based on your answers:")]
    for outcome in GROUPS:
        titles = [services[r["service"]].title for r in results if r["outcome"] == outcome and r["service"] in services]
        if titles:
            parts.append(_(GROUPS[outcome]) + "\n" + "\n".join(f"• {title}" for title in titles))
    summary = facts_summary(tr, facts, day)
    if summary:
        parts.append(summary)
    parts.append(_("Tap a service to see the reasons, the sources and how to apply."))
    parts.append(tr.gettext(DISCLAIMER_MANY_OFFICES))
    parts.append(phone_line(tr, contact))
    buttons = [button(services[r["service"]].title, "ask_eligibility", service=r["service"])
               for r in results if r["outcome"] != "likely_not_eligible" and r["service"] in services]
    buttons += [button(_("Call us"), "ask_contact"), button(_("Change my answers"), "start_over")]
    card = {
        "type": "eligibility_overview",
        "language": tr.language,
        "results": [{**{k: r[k] for k in ("service", "outcome", "missing_facts", "reasons")},
                     "title": services[r["service"]].title if r["service"] in services else r["service"]} for r in results],
        "disclaimer": tr.gettext(DISCLAIMER_MANY_OFFICES),
    }
    return [Reply(text="\n\n".join(parts), buttons=buttons), Reply(custom=card)]
