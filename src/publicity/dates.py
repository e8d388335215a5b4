"""Dates as the office writes and reads them.

Front matter dates are ISO (2009-05-12). Staff often type 2009.5.12 or
2009年5月12日; those are refused with a hint naming the ISO form, since a
guessed date that is wrong would silently move an item between report periods.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOOSE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")


class DateFormatError(ValueError):
    """A value that is not a YYYY-MM-DD date; ``hint`` is the fix in Chinese."""

    def __init__(self, value: object, hint: str):
        self.value = value
        self.hint = hint
        super().__init__(f"日期“{value}”无法识别")


def parse_date(value: object) -> dt.date:
    """Return the date a front-matter value stands for, or raise DateFormatError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if _ISO.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise DateFormatError(value, "这一天不存在，请检查月份和日期") from None
    raise DateFormatError(value, f"请写成 {suggest_iso(text) or 'YYYY-MM-DD，例如 2009-05-12'}")


def suggest_iso(text: str) -> str | None:
    """2009.5.12 or 2009年5月12日 -> 2009-05-12, when that is a real date."""
    match = _LOOSE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def cn_date(value: dt.date) -> str:
    """2009-05-12 -> 2009年5月12日, the form readers expect on the site."""
    return f"{value.year}年{value.month}月{value.day}日"


def today(timezone: str) -> dt.date:
    """Today in the office's time zone (a UTC build server is 8 hours behind Beijing)."""
    return dt.datetime.now(ZoneInfo(timezone)).date()
