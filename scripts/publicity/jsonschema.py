"""JSON Schemas of the front matter, generated from the field declarations.

For editors and tools that validate YAML against a schema; ``check.py
--write-schemas`` writes them to ``schemas/``. Registered names (series,
outlets, departments) become enums, so an editor can offer them.
"""

from __future__ import annotations

from .config import SiteConfig
from .model import RULE_STATUSES, Kind
from .schema import FIELDS, Field

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}


def front_matter_schema(kind: Kind, config: SiteConfig) -> dict:
    fields = FIELDS[kind]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{kind.folder}.schema.json",
        "title": f"{kind.label}的 front matter（docs/{kind.folder}/）",
        "type": "object",
        "properties": {f.name: {"description": f.help, **_type(f, config)} for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _type(field: Field, config: SiteConfig) -> dict:
    outlets = [o.name for o in config.outlets]
    return {
        "text": lambda: {"type": ["string", "number"]},
        "date": lambda: dict(_DATE),
        "int": lambda: {"type": "integer", "minimum": 1},
        "bool": lambda: {"type": "boolean"},
        "tags": lambda: {"type": ["array", "string"], "items": {"type": ["string", "number"]}},
        "path": lambda: {"type": "string", "pattern": r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)"},
        "status": lambda: {"enum": list(RULE_STATUSES)},
        "series": lambda: {"enum": [s.name for s in config.series]},
        "department": lambda: {"enum": list(config.departments)} if config.departments else {"type": "string"},
        "placements": lambda: {"type": "array", "items": {"anyOf": [
            {"enum": outlets},
            {"type": "object", "required": ["name"], "additionalProperties": False,
             "properties": {"name": {"enum": outlets}, "date": dict(_DATE), "page": {"type": ["string", "number"]},
                            "url": {"type": "string"}}},
        ]}},
    }[field.type]()
