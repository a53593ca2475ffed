"""JSON Schemas of every source file, derived from the loader's own definitions.

The loader (:mod:`compendium.source.loader`, :mod:`compendium.source.packs`) is the one source of
truth: the field names, which of them are required, the id pattern, the numbering
styles, role kinds, pack part kinds and languages all come from its constants.
This module only adds, per field, the JSON type an editor's tool needs for
completion and inline errors. A field the loader accepts but this module does not
describe yet still appears in the schema (accepting any value, with the loader's
own description), so adding a field in the loader never makes a valid file fail.

``scripts/schema.py`` writes the schemas to ``schemas/*.json`` (``make schema``)
and, with ``--check``, fails when a file is stale; with ``--validate`` it
validates ``docs/`` against them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.numbering.styles import STYLES
from compendium.source.fields import MAX_ID_CHARS, MAX_YEAR, MIN_YEAR
from compendium.source.layout import REGISTRY_FILES, regulation_of, regulation_of_manifest
from compendium.source.ledger import record_schema
from compendium.source.loader import (
    EN_FIELDS,
    EN_OPTIONAL,
    ID_PATTERN,
    MANIFEST_FIELDS,
    MANIFEST_OPTIONAL,
    RESERVED_PREFIXES,
    ZH_FIELDS,
    ZH_OPTIONAL,
)
from compendium.source.model import ROLE_KINDS
from compendium.source.packs import PART_KINDS
from compendium.source.reviews import MAX_MONTHS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://compendium.invalid/schemas/"

# -- building blocks -----------------------------------------------------------


def whole(pattern: str) -> str:
    """A JSON Schema pattern matching the whole value, the same in ECMA and in Python
    (which validates with ``re.search``): Python's ``$`` also matches before a final
    newline, so ``$(?!\n)`` keeps "id\n" out in both."""
    return rf"^(?:{pattern})$(?!\n)"


# JSON Schema patterns are ECMA regular expressions; ID_PATTERN uses only the common subset.
_RESERVED = "|".join(p.rstrip("-") for p in RESERVED_PREFIXES)
ID = {
    "type": "string",
    "pattern": whole(ID_PATTERN),
    "maxLength": MAX_ID_CHARS,
    "not": {"pattern": f"^(?:{_RESERVED})-"},
    "description": "lower-case ASCII words joined by hyphens, not starting with "
    + ", ".join(f"'{p}'" for p in RESERVED_PREFIXES),
}
DATE = {
    "type": "string",
    "format": "date",
    # the years MIN_YEAR..MAX_YEAR (1900 to 2199), as ``fields.date_value`` reads them
    "pattern": whole("(?:19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}"),
    "description": f"a date, YYYY-MM-DD, in the years {MIN_YEAR} to {MAX_YEAR}",
}
TEXT = {"type": "string"}
TEXT_LIST = {"type": "array", "items": TEXT}
LOCALIZED = {
    "type": "object",
    "properties": {lang: TEXT for lang in LANGUAGES},
    "required": list(LANGUAGES),
    "additionalProperties": False,
    "description": "the text in every language: " + ", ".join(LANGUAGES),
}
PER_LANGUAGE = {
    "type": "object",
    "properties": {lang: TEXT for lang in LANGUAGES},
    "additionalProperties": False,
    "minProperties": 1,
}
TEXT_OR_PER_LANGUAGE = {"oneOf": [TEXT, PER_LANGUAGE]}
ROLE_IDS = {"type": "array", "items": ID, "description": "role ids from docs/roles.yml"}
DUTIES = {
    "type": "object",
    "propertyNames": ID,
    "additionalProperties": TEXT,
    "description": "a one-line duty summary per role id",
}


def _article_entry() -> dict[str, Any]:
    return {
        "oneOf": [
            ID,
            {
                "type": "object",
                "properties": {
                    "id": ID,
                    "inserted": {
                        "type": "boolean",
                        "description": "numbered after the article before it (第十條之一 / Article 10-1)",
                    },
                    "repealed": {
                        **DATE,
                        "description": "repealed in place on this date: keeps its number, "
                        "shown as 第八條　（刪除） / Article 8 (Repealed)",
                    },
                },
                "required": ["id"],
                "additionalProperties": False,
            },
        ]
    }


def _articles() -> dict[str, Any]:
    return {"type": "array", "items": _article_entry(), "description": "article ids, in order"}


def _formerly(what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": ID,
        "description": f"earlier ids of this {what}, written by make rename",
    }


def _chapter() -> dict[str, Any]:
    section = {
        "type": "object",
        "properties": {
            "id": ID,
            "title": LOCALIZED,
            "articles": _articles(),
            "formerly": _formerly("section"),
        },
        "required": ["id", "title", "articles"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "id": ID,
            "title": LOCALIZED,
            "inserted": {
                "type": "boolean",
                "description": "numbered after the chapter before it (第七章之一 / Chapter 7-1)",
            },
            "articles": _articles(),
            "sections": {"type": "array", "items": section, "minItems": 1},
            "formerly": _formerly("chapter"),
        },
        "required": ["id", "title"],
        "oneOf": [{"required": ["articles"]}, {"required": ["sections"]}],
        "additionalProperties": False,
    }


# -- per-field types -----------------------------------------------------------

MANIFEST_TYPES: dict[str, dict[str, Any]] = {
    "compendium": {"const": "regulation"},
    "id": ID,
    "code": TEXT,
    "title": LOCALIZED,
    "title_short": PER_LANGUAGE,
    "owner": ID,
    "version": TEXT,
    "effective": DATE,
    "numbering": {"enum": list(STYLES)},
    "chapters": {"type": "array", "items": _chapter(), "minItems": 1},
    "formerly": _formerly("regulation"),
    "source": {
        "type": "object",
        "properties": {"file": TEXT, "truncated": TEXT_OR_PER_LANGUAGE},
        "additionalProperties": False,
    },
    "notes": {
        "type": "object",
        "properties": {lang: TEXT_LIST for lang in LANGUAGES},
        "additionalProperties": False,
    },
    "review_every": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_MONTHS,
        "description": "months between reviews of the regulation",
    },
    "last_reviewed": {**DATE, "description": "the date of the last review, YYYY-MM-DD"},
}

ARTICLE_TYPES: dict[str, dict[str, Any]] = {
    "id": {**ID, "description": "the article id, equal to the file name"},
    "caption": TEXT,
    "roles": ROLE_IDS,
    "duties": DUTIES,
    "effective": DATE,
    "history": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "date": DATE,
                "release": TEXT,
                "note": {
                    "oneOf": [
                        TEXT,
                        {**PER_LANGUAGE, "required": [DEFAULT_LANGUAGE]},
                    ]
                },
            },
            "required": ["date", "note"],
            "additionalProperties": False,
        },
    },
    "editorial": TEXT_LIST,
    "truncated": {"type": "boolean"},
    "formerly": {
        "type": "array",
        "items": {"type": "string", "pattern": whole(r"(?:[a-z0-9-]+/)?[a-z0-9-]+")},
        "description": "earlier ids of this article ([<regulation-id>/]<article-id>), written by make rename / make move",
    },
    "translates": {
        "type": "string",
        "pattern": whole("[0-9a-f]{12}"),
        "description": "hash of the Chinese text this translates (written by make stamp)",
    },
}


def _object(
    title: str,
    required: set[str] | dict[str, str],
    optional: set[str],
    types: dict[str, dict[str, Any]],
    descriptions: dict[str, str] | None = None,
) -> dict[str, Any]:
    descriptions = descriptions or {}
    required_names = list(required) if isinstance(required, dict) else sorted(required)
    props: dict[str, Any] = {}
    for name in [*required_names, *sorted(optional)]:
        spec = dict(types.get(name, {}))
        if name in descriptions:
            spec["description"] = descriptions[name]
        props[name] = spec
    return {
        "title": title,
        "type": "object",
        "properties": props,
        "required": required_names,
        "additionalProperties": False,
    }


def manifest_schema() -> dict[str, Any]:
    return _object(
        "Regulation manifest (front-matter of docs/regulations/<id>/index.md)",
        MANIFEST_FIELDS,
        MANIFEST_OPTIONAL,
        MANIFEST_TYPES,
        MANIFEST_FIELDS,
    )


def article_schema(lang: str) -> dict[str, Any]:
    zh = lang == DEFAULT_LANGUAGE
    return _object(
        f"Article front-matter ({lang}: <article-id>.{lang}.md)",
        ZH_FIELDS if zh else EN_FIELDS,
        ZH_OPTIONAL if zh else EN_OPTIONAL,
        ARTICLE_TYPES,
    )


def roles_schema() -> dict[str, Any]:
    role = {
        "type": "object",
        "properties": {
            "id": ID,
            "kind": {"enum": list(ROLE_KINDS)},
            "name": LOCALIZED,
            "aliases": {
                "type": "object",
                "properties": {lang: TEXT_LIST for lang in LANGUAGES},
                "additionalProperties": False,
            },
            "parent": {**ID, "description": "the role this one belongs to"},
            "note": TEXT,
        },
        "required": ["id", "kind", "name"],
        "additionalProperties": False,
    }
    return {
        "title": "Role registry (docs/roles.yml)",
        "type": "object",
        "properties": {"roles": {"type": "array", "items": role}},
        "required": ["roles"],
    }


def glossary_schema() -> dict[str, Any]:
    term = {
        "type": "object",
        "properties": {
            **{lang: TEXT for lang in LANGUAGES},
            "note": TEXT,
            "senses": {
                "description": "documented second renderings of the term, each with when to use it",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"en": TEXT, "note": TEXT},
                    "required": ["en"],
                    "additionalProperties": False,
                },
            },
            "check": {
                "description": "false: the terminology check skips this term (grammar words only)",
                "type": "boolean",
            },
        },
        "required": list(LANGUAGES),
        "additionalProperties": False,
    }
    return {
        "title": "Bilingual glossary (docs/glossary.yml)",
        "type": "object",
        "properties": {"terms": {"type": "array", "items": term}},
        "required": ["terms"],
    }


def packs_schema() -> dict[str, Any]:
    simple = [k for k in PART_KINDS if k not in ("regulation", "articles")]
    part = {
        "oneOf": [
            {"enum": simple},
            {
                "type": "object",
                "properties": {
                    "regulation": ID,
                    "chapters": {"type": "array", "items": ID},
                    "title": PER_LANGUAGE,
                },
                "required": ["regulation"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {
                    "articles": {
                        "type": "array",
                        "items": {"type": "string", "pattern": whole(r"[a-z0-9-]+/[a-z0-9-]+")},
                        "description": "<regulation-id>/<article-id>",
                    },
                    "title": PER_LANGUAGE,
                },
                "required": ["articles"],
                "additionalProperties": False,
            },
        ]
    }
    pack = {
        "type": "object",
        "properties": {
            "id": ID,
            "title": LOCALIZED,
            "roles": ROLE_IDS,
            "contents": {"type": "array", "items": part, "minItems": 1},
        },
        "required": ["id", "title", "roles", "contents"],
        "additionalProperties": False,
    }
    return {
        "title": "Onboarding packs (docs/packs.yml)",
        "type": "object",
        "properties": {"packs": {"type": "array", "items": pack}},
        "required": ["packs"],
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every kind of source file."""
    raw = {
        "manifest.json": manifest_schema(),
        **{f"article.{lang}.json": article_schema(lang) for lang in LANGUAGES},
        "roles.json": roles_schema(),
        "glossary.json": glossary_schema(),
        "packs.json": packs_schema(),
        "release.json": record_schema(),
    }
    return {
        name: {"$schema": DRAFT, "$id": BASE_ID + name, **schema} for name, schema in raw.items()
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_for(rel: str) -> str | None:
    """The schema file name for a path relative to ``docs/``, or None."""
    if rel in REGISTRY_FILES:
        return rel.removesuffix(".yml") + ".json"
    if regulation_of_manifest(rel):
        return "manifest.json"
    if regulation_of(rel):
        for lang in LANGUAGES:
            if rel.endswith(f".{lang}.md"):
                return f"article.{lang}.json"
    return None


def jsonable(value: Any) -> Any:
    """YAML data as JSON would carry it (dates as ISO text), for validation."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
