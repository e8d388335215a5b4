"""The parts of STAFF_GUIDE.md written from declarations: the field tables and the table of problem codes.

Each part sits between ``<!-- generated:NAME -->`` and ``<!-- /generated -->``;
``python scripts/check.py --write-guide`` rewrites them, and a test fails when
the committed guide differs from what the declarations say.
"""

from __future__ import annotations

import re

from .codes import guide_table
from .model import Kind
from .schema import FIELDS

_REGION = re.compile(r"(<!-- generated:([a-z-]+) -->\n).*?(<!-- /generated -->)", re.S)


def field_table(kind: Kind) -> str:
    rows = ["| 字段 | 必填 | 说明 |", "| --- | --- | --- |"]
    rows += [f"| `{f.name}` | {'是' if f.required else ''} | {f.help} |" for f in FIELDS[kind]]
    return "\n".join(rows)


def parts() -> dict[str, str]:
    tables = {f"fields-{kind.value}": field_table(kind) for kind in Kind}
    return {**tables, "codes": guide_table()}


def rewrite(text: str) -> str:
    """The guide with every generated part as the declarations say (unknown part names are an error)."""
    generated = parts()

    def replace(match: re.Match) -> str:
        return f"{match[1]}{generated[match[2]]}\n{match[3]}"

    return _REGION.sub(replace, text)
