"""Truth tests (issue 12): what the knowledge base says agrees with itself and with its sources,
and the code never names an office (routing is data)."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from pathlib import Path

import pytest

from knowledge.eligibility.rules import RULES
from knowledge.models import sourced_fields
from knowledge.seed import read_seed

ROOT = Path(__file__).resolve().parents[2]
SEED = read_seed()
ENTRIES = [*SEED.services, *SEED.signposts]


def sourced(entry) -> tuple[str, ...]:
    return sourced_fields(entry.get("kind"))
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
#: Arabic-Indic and Extended Arabic-Indic digits, read as the digits they are.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def numbers(text: str) -> Counter:
    return Counter(n.replace(",", ".") for n in NUMBER.findall((text or "").translate(DIGITS)))


@pytest.mark.parametrize("service", ENTRIES, ids=lambda s: s["key"])
def test_every_number_in_a_translation_is_the_norwegian_one(service):
    """A translation may not add, drop or change a number (hours, ages, years, phone, sections)."""
    norwegian = service["content"]["nb"]
    for language, texts in service["content"].items():
        for field in sourced(service):
            assert numbers(texts[field]) == numbers(norwegian[field]), (
                f"{service['key']}.{language}.{field}: {sorted(numbers(texts[field]).elements())} "
                f"but nb has {sorted(numbers(norwegian[field]).elements())}")


@pytest.mark.parametrize("service", ENTRIES, ids=lambda s: s["key"])
def test_every_text_has_a_source_that_exists(service):
    documents = {source["id"] for source in SEED.sources}
    covered = set()
    for source in service["sources"]:
        assert source["document"] in documents
        covered |= set(source.get("fields") or sourced(service))
    assert covered >= set(sourced(service))


def _office_names() -> list[str]:
    names = {"Transporttjenesten", "Falkenborg", "Helse- og velferdskontor", "Barne- og familietjenesten"}
    for contact in SEED.contacts:
        names.add(contact["content"]["nb"]["name"])
    return sorted(names)


def _code_files():
    """The product's Python code (migrations record history and are left out)."""
    for folder in ("knowledge", "actions", "web"):
        yield from (path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


def _string_literals(path: Path):
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            yield token.start[0], token.string


def test_no_fixed_string_in_code_names_an_office():
    """Where a family goes is routing data; only a rule's citation of a document section may name one."""
    rule_sections = {rule.source.section for rule in RULES if rule.source.section}
    offenders = [f"{path.relative_to(ROOT)}:{line}: {literal[:80]}" for path in _code_files()
                 for line, literal in _string_literals(path)
                 if any(name in literal for name in _office_names()) and literal.strip("\"'") not in rule_sections]
    assert not offenders, "\n".join(offenders)


LAW = re.compile(r"\w+(?:loven|lova)\b|§", re.IGNORECASE)


def _shown_strings(path: Path):
    """String constants that are not docstrings (a docstring documents; it is never shown)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_fixed_string_in_code_names_a_law():
    """The law a text rests on is knowledge-base data (a source's law); only an eligibility rule's
    own citation (its source) may name one in code, and the rules document shows it."""
    cited = {part for rule in RULES for part in (rule.source.law, rule.source.section) if part}
    offenders = [f"{path.relative_to(ROOT)}:{line}: {value[:80]}" for path in _code_files()
                 for line, value in _shown_strings(path) if LAW.search(value) and value not in cited]
    assert not offenders, "\n".join(offenders)
