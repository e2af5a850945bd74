"""`python -m knowledge.eligibility rules` prints every rule and parameter with its source (Markdown);
`python -m knowledge.eligibility check SERVICE '{"age": 4}'` runs one check."""
from __future__ import annotations

import inspect
import json
import sys

from knowledge.eligibility.engine import evaluate, source_text
from knowledge.eligibility.parameters import seed_parameters
from knowledge.eligibility.rules import RULES


def _rests_on(rule) -> str:
    """The rule's docstring (the seed sentence it rests on, and how it is read), on one line."""
    doc = inspect.getdoc(rule.check) or "–"
    return " ".join(doc.split()).replace("|", "\\|")


def rules_markdown() -> str:
    lines = ["| rule | facts | valid from | source | rests on |", "|---|---|---|---|---|"]
    for rule in RULES:
        lines.append(f"| `{rule.id}` | {', '.join(rule.facts) or '–'} | {rule.valid_from.isoformat()} | {source_text(rule)} "
                     f"| {_rests_on(rule)} |")
    lines += ["", "| parameter | value (valid from) | source |", "|---|---|---|"]
    for parameter in seed_parameters().values():
        values = "; ".join(f"{value:g} ({valid_from.isoformat()})" for valid_from, value in parameter.values)
        source = f"{parameter.source.document}, {parameter.source.section}" + (f"; {parameter.source.law}" if parameter.source.law else "")
        lines.append(f"| `{parameter.name}` | {values} | {source} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["rules"]:
        print(rules_markdown())
        return 0
    if argv[:1] == ["check"] and len(argv) in (2, 3):
        print(json.dumps(evaluate(argv[1], json.loads(argv[2]) if len(argv) == 3 else {}, "en"), ensure_ascii=False, indent=2))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
