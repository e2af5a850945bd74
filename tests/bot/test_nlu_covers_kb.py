"""What the bot calls a service, a family can type back: every title in the knowledge base is a
service synonym in the NLU data of its language (the content and the training data are written
separately, so this keeps them in step)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from knowledge.seed import read_seed
from veiviser_nlu.normalize import normalized_tokens

NLU_DATA = Path(__file__).resolve().parents[2] / "nlu_data"


def synonyms(language: str) -> dict[tuple[str, ...], str]:
    found: dict[tuple[str, ...], str] = {}
    for path in (NLU_DATA / language).glob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "synonym" in block:
                for line in block["examples"].splitlines():
                    text = line.strip().removeprefix("- ").strip()
                    if text:
                        found[tuple(normalized_tokens(text))] = block["synonym"]
    return found


@pytest.mark.parametrize("language", ["nb", "en", "ar", "ti"])
def test_every_service_title_is_a_synonym(language):
    known = synonyms(language)
    missing = []
    for entry in read_seed().services:
        name = re.split(r"\s*\(", entry["content"][language]["title"])[0].strip()
        if known.get(tuple(normalized_tokens(name))) != entry["key"]:
            missing.append(f"{entry['key']}: {name}")
    assert not missing, f"add to nlu_data/{language}/synonyms.yml: {missing}"
