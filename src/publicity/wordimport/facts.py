"""The front matter of a Word document, found the way offices write it.

- the kind: a registered series with 第N期 near the top is a newsletter issue; a document number
  (沙建发〔2008〕12号) or articles (第一条, 第二条) make a rule; anything else is news;
- the title: the first paragraph styled as a title or heading, centred, bold or large;
- a byline under it, （市政科  王小燕）: the department when it is registered, and the author;
- the date from a 落款 line (2009年4月18日, 二〇〇九年四月十八日);
- a newsletter's masthead (series, 第N期, 总第N期, 编印单位, date), which is front matter, not body;
- a rule's document number and its 施行日期 from “自…起施行”.

What is not found is left empty and said in a warning naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ..config import Series, SiteConfig
from ..model import Kind, RuleStatus
from .blocks import Para

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十百两"
_NUMBER = rf"(\d+|[{_CN}]+)"
_DATE = re.compile(rf"(\d{{4}}|[{_CN}O]{{4}})\s*年\s*{_NUMBER}\s*月\s*{_NUMBER}\s*日")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*\d+\s*号")
_ARTICLE = re.compile(rf"^第[{_CN}]+条")
_ISSUE = re.compile(rf"(?<!总)第\s*{_NUMBER}\s*期")
_TOTAL = re.compile(rf"总第\s*{_NUMBER}\s*期")
_EFFECTIVE = re.compile(rf"自\s*((?:\d{{4}}|[{_CN}O]{{4}})\s*年[^起]{{1,12}}日)\s*起\s*(?:施行|执行|实施|生效)")
_BYLINE = re.compile(r"^[（(]\s*(.+?)\s*[）)]$")
_ROLE = re.compile(r"^(?:通讯员|记者|作者|撰稿|供稿|文|图)[：:\s]*")
_PUBLISHER = re.compile(r"(?:编印单位[：:\s]*)?(.+?)(?:编印|主办|编)$")
HEAD_LINES = 8  # how far down a masthead, a document number or a title is looked for


def number(text: str) -> int | None:
    """12, 十二, 二十三, 一〇五 (digit by digit) as an integer."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def find_date(text: str) -> dt.date | None:
    match = _DATE.search(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    year = number(match.group(1)) if not match.group(1).isdigit() else int(match.group(1))
    month, day = number(match.group(2)), number(match.group(3))
    try:
        return dt.date(year or 0, month or 0, day or 0)
    except ValueError:
        return None


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Facts:
    kind: Kind
    values: dict[str, object] = field(default_factory=dict)  # front matter found
    consumed: set[int] = field(default_factory=set)  # blocks that became front matter
    warnings: list[str] = field(default_factory=list)


def detect_kind(paras: list[tuple[int, Para]], config: SiteConfig) -> Kind:
    head = " ".join(_flat(p.plain) for _, p in paras[:HEAD_LINES])
    if _series_in(head, config) and _ISSUE.search(head):
        return Kind.NEWSLETTER
    articles = sum(1 for _, p in paras if _ARTICLE.match(_flat(p.plain)))
    if DOC_NUMBER.search(head) or articles >= 2:
        return Kind.RULE
    return Kind.NEWS


def _series_in(text: str, config: SiteConfig) -> Series | None:
    found = [s for s in config.series if s.name in text]
    return max(found, key=lambda s: len(s.name)) if found else None


def find_facts(blocks: list, kind: Kind, config: SiteConfig, series: Series | None = None) -> Facts:
    paras = [(n, b) for n, b in enumerate(blocks) if isinstance(b, Para) and not b.empty]
    facts = Facts(kind)
    if kind is Kind.NEWSLETTER:
        _masthead(paras, config, series, facts)
    else:
        if kind is Kind.RULE:
            _doc_number(paras, facts)
        after = _title(paras, facts)
        if kind is Kind.NEWS:
            _byline(paras, after, config, facts)
    if "date" not in facts.values:
        _signature_date(paras, facts)
    if kind is Kind.RULE:
        facts.values["status"] = RuleStatus.IN_FORCE
        _effective(paras, facts)
    return facts


def _masthead(paras: list[tuple[int, Para]], config: SiteConfig, series: Series | None, facts: Facts) -> None:
    """The lines above the first heading or sentence: series, 第N期（总第N期）, 编印单位 and date."""
    for n, para in paras[:HEAD_LINES]:
        text = _flat(para.plain)
        found, used = _series_in(text, config), False
        if found and len(text) <= len(found.name) + 24:
            series, used = series or found, True
            text = text.replace(f"《{found.name}》", "").replace(found.name, "")
        total = _TOTAL.search(text)
        if total:
            facts.values["total_issue"], used = number(total.group(1)), True
            text = text.replace(total.group(0), "")
        issue = _ISSUE.search(text)
        if issue:
            facts.values["issue"], used = number(issue.group(1)), True
        day = find_date(para.plain)
        if day and len(text) <= 40:
            facts.values.setdefault("date", day)
            used = True
            publisher = _DATE.sub("", unicodedata.normalize("NFKC", para.plain)).strip(" \t\u3000")
            if publisher:
                facts.values.setdefault("publisher", _PUBLISHER.sub(r"\1", publisher.split()[0]) if publisher.split() else "")
        elif _PUBLISHER.fullmatch(text) and len(text) <= 24 and not issue and not total:
            facts.values["publisher"], used = _PUBLISHER.sub(r"\1", text), True
        if not used:
            if facts.consumed:
                break  # the masthead is the block of lines at the top
            continue
        facts.consumed.add(n)
    if series is not None:
        facts.values["series"] = series.name
    publisher = facts.values.pop("publisher", "")
    if series is not None and publisher and series.publisher and _flat(publisher) != _flat(series.publisher):
        facts.warnings.append(f"报头的编印单位“{publisher}”与 publicity.yml 登记的“{series.publisher}”不同，请核对")
    if "total_issue" not in facts.values:
        facts.warnings.append("报头里没有找到总期号（总第N期），total_issue 留空")


def _doc_number(paras: list[tuple[int, Para]], facts: Facts) -> None:
    for n, para in paras[:HEAD_LINES]:
        match = DOC_NUMBER.search(_flat(para.plain))
        if match:
            facts.values["doc_number"] = match.group(0)
            if len(_flat(para.plain)) <= len(match.group(0)) + 2:
                facts.consumed.add(n)
            return
    facts.warnings.append("没有找到发文字号（如 沙建发〔2008〕12号），doc_number 留空")


def _looks_like_title(para: Para) -> bool:
    return bool(para.heading) or para.align == "center" or para.bold or (para.size or 0) >= 15


def _title(paras: list[tuple[int, Para]], facts: Facts) -> int:
    """The title's paragraphs are consumed; returns the position (in ``paras``) after them."""
    for position, (n, para) in enumerate(paras[:3]):
        if n in facts.consumed:
            continue
        if not _looks_like_title(para) or len(_flat(para.plain)) > 80:
            break
        title, facts.consumed = [para.plain], facts.consumed | {n}
        # A title set on two centred lines (沙市区建设局 / 学习制度) is one title.
        following = paras[position + 1] if position + 1 < len(paras) else None
        if following and _looks_like_title(following[1]) and following[1].align == para.align and \
                not following[1].plain.startswith(("（", "(")) and len(_flat(following[1].plain)) <= 30 \
                and not find_date(following[1].plain) and not para.plain.endswith(tuple("。！？")):
            title.append(following[1].plain)
            facts.consumed.add(following[0])
            position += 1
        facts.values["title"] = clean_title("".join(title))
        return position + 1
    facts.warnings.append("没有找到标题（居中、加粗或大字号的第一段，或“标题”样式），title 暂用文件名，请修改")
    return 0


def clean_title(text: str) -> str:
    return re.sub(r"[\s\u3000]+", " ", text.replace("\n", "")).strip()


def _byline(paras: list[tuple[int, Para]], after: int, config: SiteConfig, facts: Facts) -> None:
    if after < len(paras):
        n, para = paras[after]
        match = _BYLINE.match(para.plain.strip())
        if match:
            facts.consumed.add(n)
            _read_byline(match.group(1), config, facts)
    if "department" not in facts.values:
        facts.warnings.append("没有找到已登记科室的署名（如 （市政科  王小燕）），department 留空")
    if "author" not in facts.values:
        facts.warnings.append("没有找到署名中的作者，author 留空")


def _read_byline(text: str, config: SiteConfig, facts: Facts) -> None:
    authors = []
    for part in re.split(r"[\s\u3000、，,/／;；]+", text):
        part = _ROLE.sub("", part.strip())
        if not part:
            continue
        if part in config.departments:
            facts.values.setdefault("department", part)
        elif part.endswith(("科", "室", "队", "站", "所", "办", "局", "股", "中心")) and len(part) <= 10:
            facts.warnings.append(f"署名里的科室“{part}”未在 publicity.yml 登记，department 留空")
        else:
            authors.append(part)
    if authors:
        facts.values["author"] = "、".join(authors)


def _signature_date(paras: list[tuple[int, Para]], facts: Facts) -> None:
    """The 落款: a short line near the end that holds a date (and perhaps the office's name)."""
    for _, para in reversed(paras[-4:]):
        text = _flat(para.plain)
        day = find_date(para.plain)
        if day and len(text) <= 40 and not text.endswith("。"):
            facts.values["date"] = day
            return
    facts.warnings.append("没有找到落款日期（如 2009年4月18日），date 暂填今天，请改为成文日期")


def _effective(paras: list[tuple[int, Para]], facts: Facts) -> None:
    text = "".join(_flat(p.plain) for _, p in paras)
    match = _EFFECTIVE.search(text)
    if match:
        day = find_date(match.group(1))
        if day and day != facts.values.get("date"):
            facts.values["effective"] = day
    elif not re.search(r"自\S{0,12}之日起\S{0,2}(?:施行|执行|实施|生效)", text):
        facts.warnings.append("没有找到施行日期（“自……起施行”），effective 留空（按成文日期）")
