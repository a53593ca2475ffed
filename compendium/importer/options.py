"""The options of an import, and the check of the ids it is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compendium.source.loader import id_problem

from .grammar import ImportFailure


@dataclass
class ImportOptions:
    reg_id: str
    code: str | None = None
    title_zh: str | None = None
    title_en: str | None = None
    owner: str = "all-employees"
    version: str = "1.0"
    effective: dt.date | None = None  # default: today
    style: str | None = None  # None: detect
    ids: str = "number"
    clean_scrape: bool = False
    fix_traditional: bool = False
    fullwidth_punct: bool = False
    drop_incomplete: bool = False
    link_references: bool = False  # 第三條 / Article 3 in the text -> [[a003]]
    roles_yml: str | None = None  # text of docs/roles.yml: suggest each article's roles
    source_name: str | None = None
    english_name: str | None = None
    accept_anomalies: bool = False  # write despite anomalies; record them in the manifest


def _check_id(value: str, what: str) -> None:
    if message := id_problem(value, what):
        raise ImportFailure(message)
