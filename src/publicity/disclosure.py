"""Government information disclosure (《政府信息公开条例》 art. 12): 索引号, the 公开目录 and the 公开指南.

An office numbers its documents by a pattern of its own, configured as
``disclosure.index_pattern`` (``{org_code}/{year}-{seq:05d}`` gives
011520456/2009-00012). ``next_index_number`` reads the numbers already given
by that pattern and proposes the next one; ``new.py`` writes it into a new
rule and the checker's warning about a rule without one names it.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from .config import Office, SiteConfig
from .model import Rule

CATALOGUE_PAGE = "disclosure/index.md"  # 政府信息公开目录
GUIDE_PAGE = "disclosure/guide.md"  # 政府信息公开指南


def _pattern_regex(pattern: str, org_code: str, year: int) -> re.Pattern:
    """A regex matching the numbers the pattern gives for this office and year; group ``seq`` is the sequence."""
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "org_code":
            parts.append(re.escape(format(org_code, spec or "")))
        elif name == "year":
            parts.append(re.escape(format(year, spec or "")))
        elif name == "seq":
            parts.append(r"(?P<seq>\d+)")
    return re.compile("^" + "".join(parts) + "$")


def next_index_number(config: SiteConfig, rules: list[Rule], day: dt.date, also: Iterable[str] = ()) -> str:
    """The next 索引号 for a rule written on ``day`` ('' when no pattern is configured).

    The sequence restarts each year when the pattern has ``{year}``; drafts count too:
    a number a draft holds is taken, and so is each of ``also`` (numbers given out but not written yet).
    """
    pattern = config.index_pattern
    if not pattern:
        return ""
    regex = _pattern_regex(pattern, config.office.org_code, day.year)
    taken = [int(m["seq"]) for number in [*(r.index_number for r in rules), *also] if (m := regex.match(number))]
    return pattern.format(org_code=config.office.org_code, year=day.year, seq=max(taken, default=0) + 1)


@dataclass(frozen=True)
class Guide:
    """The 政府信息公开指南's parts, each from the content or the office's configuration."""

    categories: list[tuple[str, str]]  # (name, site-relative url) of what the site publishes
    arrangement: str  # 信息的编排体系
    obtaining: list[tuple[str, str]]  # (label, text): 主动公开, 依申请公开, 受理地址
    contact: list[tuple[str, str]]  # (label, value) of the office; what is not set is left out


def make_guide(office: Office, categories: list[tuple[str, str]], index_pattern: str) -> Guide:
    name = office.name
    arrangement = ("本机关主动公开的政府信息按栏目（" + "、".join(c for c, _ in categories) + "）编排，各栏目内按发布日期排列，最新的在前。"
                   "规章制度按主题分类，并在政府信息公开目录中列出每件文件的索引号、名称、内容概要、发布机构、生成日期、文号和有效性。")
    if index_pattern:
        arrangement += "索引号由组织机构代码、年份和当年序号组成。" if "{year}" in index_pattern else "索引号由组织机构代码和序号组成。"
    obtaining = [("主动公开", "通过本网站发布，可在各栏目和政府信息公开目录中查阅、检索和下载，不收取任何费用。"),
                 ("依申请公开", f"公民、法人或者其他组织可以向{name}书面申请获取政府信息，写明申请人的姓名或者名称、身份证明、联系方式，"
                               "所需政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式。"
                               "能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。")]
    if office.application_address:
        obtaining.append(("受理地址", office.application_address))
    contact = [(label, value) for label, value in (
        ("机关名称", name), ("办公地址", office.address), ("邮政编码", office.postcode), ("办公时间", office.hours),
        ("联系电话", office.phone), ("传真", office.fax), ("电子邮箱", office.email)) if value]
    return Guide(categories, arrangement, obtaining, contact)
