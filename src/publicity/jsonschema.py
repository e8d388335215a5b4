"""JSON Schemas of the front matter, generated from the field declarations.

For editors and tools that validate YAML against a schema; ``check.py
--write-schemas`` writes them to ``schemas/``. Each field's type describes
itself (``fields.py``, ``schema.py``): registered names (series, outlets,
departments) become enums, so an editor can offer them.
"""

from __future__ import annotations

from .config import SiteConfig
from .model import Kind
from .schema import FIELDS


def front_matter_schema(kind: Kind, config: SiteConfig) -> dict:
    fields = FIELDS[kind]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{kind.folder}.schema.json",
        "title": f"{kind.label}的 front matter（docs/{kind.folder}/）",
        "type": "object",
        "properties": {f.name: {"description": f.help, **f.type.json_schema(config)} for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }
