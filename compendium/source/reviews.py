"""Review cycles: when each regulation was last reviewed and when it is due again.

A manifest may declare ``review_every`` (months, a whole number from 1 to 120) and
``last_reviewed`` (YYYY-MM-DD). The next review is ``last_reviewed`` plus that
many months (the last day of the month when the day does not exist). A review is
overdue when the next review date is before the *as-of date*: the build date
(:func:`compendium.buildtime.build_date`: ``SOURCE_DATE_EPOCH``, else the date of the
commit the sources come from), never
the wall clock, so that the same commit always builds the same page. ``make check``
may use today's date (``--today`` pins it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from compendium.source.fields import date_problem, date_value
from compendium.source.model import Compendium, Regulation
from compendium.source.problems import Problems
from compendium.source.yamlsrc import type_name

MAX_MONTHS = 120  # ten years between reviews; more is a typo (and runs past the calendar)


@dataclass(frozen=True)
class ReviewCycle:
    every: int | None  # months
    last: dt.date | None
    line: int = 1  # manifest line of the review fields, for messages

    @property
    def next(self) -> dt.date | None:
        if self.every is None or self.last is None:
            return None
        return add_months(self.last, self.every)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_cycle(
    meta: dict[str, Any], lines: Any, path: str, problems: Problems
) -> ReviewCycle | None:
    """The manifest's review cycle (None when it declares none); errors into ``problems``."""
    every, last = meta.get("review_every"), meta.get("last_reviewed")
    if every is None and last is None:
        return None
    if every is not None and (
        isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= MAX_MONTHS
    ):
        problems.error(
            path,
            lines("review_every"),
            f"field 'review_every' must be a whole number of months from 1 to {MAX_MONTHS} "
            f"(such as 12), got {type_name(every)}",
        )
        every = None
    if last is not None:
        day = date_value(last)
        if day is None:
            problems.error(
                path, lines("last_reviewed"), date_problem(last, "field 'last_reviewed'")
            )
        last = day
    if every is not None and last is None and "last_reviewed" not in meta:
        problems.warning(
            path,
            lines("review_every"),
            "the regulation has a review cycle but no 'last_reviewed' date (expected YYYY-MM-DD)",
        )
    line = lines("last_reviewed") if "last_reviewed" in meta else lines("review_every")
    return ReviewCycle(every, last, line)


@dataclass(frozen=True)
class ReviewRow:
    regulation: Regulation
    cycle: ReviewCycle | None
    overdue: bool
    days_overdue: int


def review_rows(comp: Compendium, as_of: dt.date | None) -> list[ReviewRow]:
    """Every regulation: overdue first (longest overdue first), then by next review
    date, then those without a cycle (by code)."""
    rows = []
    for reg in comp.regulations.values():
        cycle: ReviewCycle | None = getattr(reg, "review", None)
        nxt = cycle.next if cycle else None
        overdue = bool(nxt and as_of and nxt < as_of)
        days = (as_of - nxt).days if overdue and nxt and as_of else 0
        rows.append(ReviewRow(reg, cycle, overdue, days))

    def key(r: ReviewRow) -> tuple[bool, bool, dt.date, str]:
        nxt = r.cycle.next if r.cycle else None
        return (not r.overdue, nxt is None, nxt or dt.date.max, r.regulation.code)

    return sorted(rows, key=key)


def check_reviews(comp: Compendium, as_of: dt.date) -> Problems:
    """A warning per overdue review, at the manifest's review line."""
    problems = Problems()
    for row in review_rows(comp, as_of):
        if row.overdue and row.cycle and row.cycle.last and row.cycle.next:
            problems.warning(
                row.regulation.path,
                row.cycle.line,
                f"review overdue: last reviewed {row.cycle.last.isoformat()}, every "
                f"{row.cycle.every} month(s), due {row.cycle.next.isoformat()} "
                f"({row.days_overdue} day(s) before {as_of.isoformat()})",
            )
    return problems
