"""The privacy test (issue 14): a whole application through the real stack, with the action server
killed in the middle (an action failure Rasa logs), then every log, the database file and the
editors' list of unanswered questions are searched for what the family typed. Only the
encrypted store and the case worker's own documents (the KE inbox) may hold it.

Rasa's tracker is still in Rasa's memory only (no tracker store yet, see issue 15), so it is not
searched here.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conversation.chat import MODEL, Conversation, delivered, text
from veiviser_eval.servers import ROOT, assistant, free_port, start_actions

pytestmark = pytest.mark.model

NAME, CHILD = "Zelda Quixotevik", "Yrsa Quixotevik"
PHONE, PHONE_DIGITS = "912 34 567", "91234567"
EMAIL = "zelda.quixotevik@example.no"
ADDRESS = "Vindharpevegen 77, 7020 Trondheim"
IDENTITY = "04112354048"
NEED = "Hun vandrer om natten og trenger tilsyn fordi hun har zqxsyndrom."
TYPED = [NAME, CHILD, PHONE, PHONE_DIGITS, EMAIL, "Vindharpevegen", IDENTITY, "zqxsyndrom", "vandrer om natten"]


def found_in(folder: Path, skip: tuple[Path, ...]) -> list[str]:
    """Every file under ``folder`` (but ``skip``) that holds any of the typed values, in clear."""
    hits = []
    for path in folder.rglob("*"):
        if not path.is_file() or any(part in path.parents or part == path for part in skip):
            continue
        data = path.read_bytes()
        for value in TYPED:
            if value.encode() in data or value.lower().encode() in data.lower():
                hits.append(f"{path.relative_to(folder)}: {value}")
    return hits


def test_nothing_the_family_typed_is_left_in_clear(tmp_path, monkeypatch):
    inbox = tmp_path / "ke-inbox"
    monkeypatch.setenv("VEIVISER_DATABASE_URL", f"sqlite:///{tmp_path / 'veiviser.db'}")
    monkeypatch.setenv("VEIVISER_KE_INBOX", str(inbox))
    monkeypatch.setenv("VEIVISER_RECEIPT_DIR", str(tmp_path / "receipts"))
    monkeypatch.setenv("VEIVISER_ACTION_TOKEN", "privacy-test-shared-secret")
    subprocess.run([sys.executable, "-m", "knowledge", "setup"], cwd=ROOT, check=True, capture_output=True)
    logs = tmp_path / "logs"
    logs.mkdir()
    port = free_port()
    actions = start_actions(port, logs)
    try:
        with assistant(MODEL, logs, rasa_port=free_port(), actions_port=port) as rasa:
            chat = Conversation(rasa)
            chat.say("Jeg vil søke om avlastning")
            for answer in ["/affirm", NAME, PHONE, EMAIL, ADDRESS, CHILD, "04.11.2023", IDENTITY]:
                chat.say(answer)
            actions.terminate()  # an action failure in the middle of the form, with the answers in the tracker
            actions.wait(timeout=20)
            assert chat.say(NEED) == []  # Rasa cannot run the form's action: no answer (the web app gives the phone)
            actions = start_actions(port, logs)
            replies = chat.say(NEED)
            for answer in ["ingen", "nb", "nei", "nei"]:
                replies = chat.say(answer)
            assert "150319" not in text(replies)
            receipt = chat.say('/affirm{"step": "app_review"}')
            reference = re.search(r"VV-\d{4}-[A-Z0-9]{6}", text(receipt)).group(0)
    finally:
        actions.terminate()
        actions.wait(timeout=20)
    folder = delivered(reference)  # the case worker's document holds it, as it should
    assert IDENTITY in (folder / f"{reference}.json").read_text()
    hits = found_in(tmp_path, skip=(inbox, tmp_path / "receipts"))  # the receipts: the family's own mailbox
    assert hits == [], "\n".join(hits)
