"""Where a run finds its configuration, and which day counts as "today".

Every tool (the site build, the counter, the checker) settles these the
same way: ``publicity.yml`` in the project root (or ``$PUBLICITY_CONFIG``),
"as of" today in the configured time zone unless ``$PUBLICITY_AS_OF`` or an
option says otherwise, and a preview (drafts and scheduled items shown,
marked) when ``$PUBLICITY_PREVIEW`` is set, as ``mkdocs serve`` does.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .config import SiteConfig, find_config, load_config
from .dates import DateFormatError, parse_date, today
from .problems import ContentError, Problem, shown_path

# The project: where docs/, publicity.yml and mkdocs.yml are. The package is installed editable
# (make install), so it is two folders up from here; $PUBLICITY_ROOT names another project.
ROOT = Path(os.environ.get("PUBLICITY_ROOT") or Path(__file__).resolve().parents[2])
AS_OF_ENV = "PUBLICITY_AS_OF"
PREVIEW_ENV = "PUBLICITY_PREVIEW"


def load_site_config(root: Path = ROOT) -> SiteConfig:
    path = find_config(root)
    return load_config(path, shown_path(path, root))


def as_of_date(config: SiteConfig, explicit: str | None = None) -> dt.date:
    """The day that decides what is published; ContentError if the override is not a date."""
    value = explicit if explicit is not None else os.environ.get(AS_OF_ENV)
    if not value:
        return today(config.timezone)
    try:
        return parse_date(value)
    except DateFormatError as exc:
        origin = "--as-of" if explicit is not None else AS_OF_ENV
        raise ContentError([Problem(origin, 1, "as-of-format", f"{origin} 的{exc}", exc.hint)]) from None


def preview_enabled() -> bool:
    return os.environ.get(PREVIEW_ENV, "") not in ("", "0", "false")
