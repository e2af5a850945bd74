"""What we can still say when the database is down: the main phone number from the seed file."""
from __future__ import annotations

from functools import cache

import yaml

from knowledge.queries import ContactView, OpeningInterval, SourceRef
from knowledge.seed import CONTENT_DIR, WEEKDAYS

MAIN_CONTACT = "hvk_0_18"


@cache
def offline_contact(language: str) -> ContactView:
    """The main contact point as written in contacts.yml, without touching the database."""
    with (CONTENT_DIR / "contacts.yml").open(encoding="utf-8") as handle:
        contacts = {c["key"]: c for c in yaml.safe_load(handle)["contacts"]}
    entry = contacts[MAIN_CONTACT]
    texts = entry["content"].get(language) or entry["content"]["nb"]
    return ContactView(
        key=MAIN_CONTACT, language=language, name=" ".join(texts["name"].split()), role=" ".join(texts["role"].split()),
        phone=entry.get("phone"), email=entry.get("email"), digital_channel=entry.get("digital_channel"),
        postal_address=entry.get("postal_address"), visiting_address=entry.get("visiting_address"),
        by_appointment_only=bool(entry.get("by_appointment_only")),
        hours=tuple(OpeningInterval(WEEKDAYS.index(day), i["opens"], i["closes"])
                    for i in entry.get("phone_hours") or [] for day in i["days"]),
        translation_status=texts["status"],
        source=SourceRef(entry["source"]["document"], entry["source"]["document"], entry["source"]["section"]),
    )
