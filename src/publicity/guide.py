"""The parts of the guides written from declarations: field tables, the problem codes, publicity.yml's keys.

Each part sits between ``<!-- generated:NAME -->`` and ``<!-- /generated -->``;
``python scripts/check.py --write-guide`` rewrites them, and a test fails when
the committed guide differs from what the declarations say.
"""

from __future__ import annotations

import re

from .codes import guide_table
from .config import CONFIG
from .fields import ListOf, Section
from .model import Kind
from .schema import FIELDS

GUIDES = ("STAFF_GUIDE.md", "devdocs/configuration.md")  # the files with generated parts, relative to the project
_REGION = re.compile(r"(<!-- generated:([a-z-]+) -->\n).*?(<!-- /generated -->)", re.S)


def field_table(kind: Kind) -> str:
    rows = ["| 字段 | 必填 | 说明 |", "| --- | --- | --- |"]
    rows += [f"| `{f.name}` | {'是' if f.required else ''} | {f.help} |" for f in FIELDS[kind]]
    return "\n".join(rows)


def config_table() -> str:
    """publicity.yml's keys, each with its help; a section's keys below it."""
    rows = ["| 键 | 必填 | 说明 |", "| --- | --- | --- |"]

    def walk(fields, prefix: str) -> None:
        for f in fields:
            rows.append(f"| `{prefix}{f.name}` | {'是' if f.required else ''} | {f.help} |")
            inner = f.type.item if isinstance(f.type, ListOf) else f.type
            if isinstance(inner, Section):
                walk(inner.fields, f"{prefix}{f.name}{'[].' if isinstance(f.type, ListOf) else '.'}")

    walk(CONFIG.fields, "")
    return "\n".join(rows)


def parts() -> dict[str, str]:
    tables = {f"fields-{kind.value}": field_table(kind) for kind in Kind}
    return {**tables, "codes": guide_table(), "config": config_table()}


def rewrite(text: str) -> str:
    """The guide with every generated part as the declarations say (unknown part names are an error)."""
    generated = parts()

    def replace(match: re.Match) -> str:
        return f"{match[1]}{generated[match[2]]}\n{match[3]}"

    return _REGION.sub(replace, text)
