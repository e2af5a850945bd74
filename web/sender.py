"""A conversation's sender id, as the widget makes it (random, per browser session): the one rule
for every route that takes one."""
from __future__ import annotations

import re

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")
SENDER_RULE = "sender must be 8–64 letters, digits, '-' or '_'"


def is_sender(value: object) -> bool:
    return isinstance(value, str) and bool(SENDER_PATTERN.match(value))
