"""Realistic text for generated corpora: what a district construction bureau writes, at real lengths.

News items run 800–1,500 characters, newsletter issues 2,000–5,000 and rules 1,000–5,000, as the
office's own do. Half the sentences name roads, works, departments, sums and figures; the other half
come from a character-level Markov chain trained on the sample content (the bureau's own prose), so
that the text has the variety of real Chinese (a few hundred repeated sentences would make the
search index far too small to measure). The same seed gives the same text.
"""

from __future__ import annotations

import random

ROADS = ("北京中路", "北京西路", "江津路", "荆沙大道", "红星路", "中山路", "胜利街", "解放路", "塔桥路", "沙隆达大道",
         "园林路", "金龙路", "豉湖路", "太岳路", "长港路", "白云路", "东方大道", "康庄路", "文化宫路", "便河路",
         "崇文街", "民主街", "复兴大道", "青年路", "六合路", "航空路", "郢都路", "关沮路", "荆州大道", "屈原路")
PLACES = ("中山公园", "便河广场", "荆江大堤", "洪湖泵站", "园林小区", "太岳小区", "红门路社区", "崇文社区", "江汉北路社区",
          "沙市港区", "荆州古城南门", "章华寺片区", "九龙渊", "三板桥", "西湖片区", "东岳庙片区", "长港路菜场", "宝塔河")
WORKS = ("井盖更换", "排水管网疏挖", "路灯维修", "人行道改造", "雨污分流", "窨井加固", "路面修补", "绿化补植", "护栏安装",
         "泵站检修", "沥青摊铺", "管道清淤", "化粪池清掏", "公厕改建", "背街小巷整治", "违章建筑拆除", "路牌更新",
         "交通标线施划", "消防通道清理", "危房排查", "燃气管道巡检", "供水管网改造", "立面整治", "停车场划线")
UNITS = ("局机关", "市政科", "城建科", "建管科", "法规科", "政工科", "办公室", "计划财务科", "城管执法大队", "市政维护处",
         "路灯管理所", "排水管理所", "园林绿化队", "质量安全监督站", "建筑市场管理办公室")
PEOPLE = ("张银成", "李明", "王小燕", "刘建国", "陈志刚", "赵丽华", "周文斌", "吴海涛", "郑晓红", "孙卫东", "黄国平", "何淑芬")
ACTIONS = ("组织开展", "集中整治", "全面完成", "稳步推进", "督促落实", "专题研究", "现场检查", "部署安排", "认真开展", "扎实推进")
THEMES = ("文明创建", "安全生产", "汛期防范", "优化营商环境", "为民办实事", "城市精细化管理", "民生工程", "作风建设",
          "党风廉政建设", "学雷锋志愿服务", "创卫迎检", "冬季安全大检查", "建议提案办理", "老旧小区改造")
OPENINGS = ("近日，", "为进一步", "日前，", "本月以来，", "根据区委、区政府部署，", "按照年初工作计划，", "入汛以来，")
CLOSINGS = ("下一步，我局将继续加强督查，确保各项工作落到实处。", "群众对此反映良好，纷纷表示满意。",
            "此次活动有效提升了干部职工的业务能力和服务水平。", "相关情况已报区政府备案。",
            "各科室负责同志参加了会议。", "该项工作将于月底前全部完成。")


def _figure(rng: random.Random) -> str:
    return rng.choice((
        f"投入资金{rng.randint(3, 980)}万元", f"更换井盖{rng.randint(10, 600)}个", f"疏挖管道{rng.randint(1, 90)}.{rng.randint(0, 9)}公里",
        f"维修路灯{rng.randint(20, 900)}盏", f"整改隐患{rng.randint(3, 120)}处", f"出动人员{rng.randint(12, 480)}人次",
        f"受理群众来信来访{rng.randint(5, 200)}件", f"新增绿地{rng.randint(200, 9000)}平方米", f"拆除违章建筑{rng.randint(2, 60)}处",
        f"办结率达到{rng.randint(90, 100)}%", f"完成年度任务的{rng.randint(40, 100)}%"))


class Prose:
    """A second-order character Markov chain over the bureau's prose: new sentences with its local statistics."""

    def __init__(self, paragraphs: list[str], seed: int = 0):
        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for text in paragraphs:
            for sentence_ in _sentences(text):
                if len(sentence_) < 6:
                    continue
                self.starts.append(sentence_[:2])
                for i in range(len(sentence_) - 2):
                    self.next.setdefault(sentence_[i:i + 2], []).append(sentence_[i + 2])

    def sentence(self, rng: random.Random, longest: int = 90) -> str:
        if not self.starts:
            return ""
        text = rng.choice(self.starts)
        while len(text) < longest:
            follow = self.next.get(text[-2:])
            if not follow:
                break
            text += rng.choice(follow)
            if text[-1] in "。！？；":
                return text
        return text.rstrip("，、；：") + "。"


def _sentences(text: str) -> list[str]:
    out, current = [], ""
    for ch in " ".join(text.split()):
        current += ch
        if ch in "。！？；":
            out.append(current.strip())
            current = ""
    return out


_PROSE: Prose | None = None


def use_prose(paragraphs: list[str]) -> None:
    """Train the Markov half of the text on these paragraphs (the sample's): before generating."""
    global _PROSE
    _PROSE = Prose(paragraphs)


def sentence(rng: random.Random) -> str:
    """One sentence: the office's prose from the chain, or a sentence naming roads, works, units, figures and dates."""
    if _PROSE is not None and rng.random() < 0.5:
        made = _PROSE.sentence(rng)
        if made:
            return made
    return _named(rng)


def _named(rng: random.Random) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    road, place, work, unit = rng.choice(ROADS), rng.choice(PLACES), rng.choice(WORKS), rng.choice(UNITS)
    return rng.choice((
        f"{month}月{day}日，{unit}{rng.choice(ACTIONS)}{road}{work}工作，{_figure(rng)}。",
        f"{rng.choice(OPENINGS)}{unit}在{place}一带{rng.choice(ACTIONS)}{rng.choice(THEMES)}活动，{_figure(rng)}，{_figure(rng)}。",
        f"针对{road}沿线{work}进度滞后的问题，{rng.choice(PEOPLE)}同志带队现场办公，要求{unit}倒排工期、挂图作战。",
        f"截至{month}月底，全区共{_figure(rng)}，其中{road}、{rng.choice(ROADS)}两条主干道{_figure(rng)}。",
        f"{unit}负责人{rng.choice(PEOPLE)}介绍，{place}{work}项目采用分段施工方式，最大限度减少对居民出行的影响。",
        f"会议强调，要把{rng.choice(THEMES)}作为当前的重点任务，{rng.choice(ACTIONS)}，{rng.choice(CLOSINGS)}",
        f"{rng.choice(CLOSINGS)}",
    ))


def _fill(rng: random.Random, low: int, high: int, piece, longest: int = 250) -> list[str]:
    """Pieces (sentences, articles) whose lengths add up to between ``low`` and ``high`` characters."""
    target, pieces, total = rng.randint(low + longest, high), [], 0
    while True:
        made = piece(rng)
        if total + len(made) > target:
            if total >= low:
                return pieces
            continue
        pieces.append(made)
        total += len(made)


def _paragraphs(sentences: list[str], count: int) -> list[str]:
    size = max(1, -(-len(sentences) // count))
    return ["".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def news_title(rng: random.Random) -> str:
    return rng.choice((
        f"区建设局{rng.choice(ACTIONS)}{rng.choice(ROADS)}{rng.choice(WORKS)}",
        f"{rng.choice(UNITS)}{rng.choice(ACTIONS)}{rng.choice(THEMES)}活动",
        f"{rng.choice(PLACES)}{rng.choice(WORKS)}工程完工",
        f"我局召开{rng.choice(THEMES)}工作推进会",
        f"{rng.choice(ROADS)}{rng.choice(WORKS)}进展顺利",
    ))


def news_body(rng: random.Random) -> str:
    """800–1,500 characters in three to five paragraphs."""
    return "\n\n".join(_paragraphs(_fill(rng, 800, 1500, sentence), rng.randint(3, 5)))


def issue_body(rng: random.Random) -> str:
    """2,000–5,000 characters under several headings, as a newsletter issue is."""
    themes = rng.sample(THEMES, rng.randint(3, 6))
    headed = sum(map(len, themes))
    paragraphs = _paragraphs(_fill(rng, 2000 - headed, 5000 - headed, sentence), 2 * len(themes))
    parts = []
    for n, theme in enumerate(themes):
        parts += [f"## {theme}", *paragraphs[2 * n:2 * n + 2]]
    return "\n\n".join(parts)


def rule_body(rng: random.Random) -> str:
    """1,000–5,000 characters of articles: 第一条, 第二条..."""
    articles = _fill(rng, 1000, 5000, lambda r: "".join(sentence(r) for _ in range(r.randint(1, 2))))
    return "\n\n".join(f"第{_numeral(n)}条　{text}" for n, text in enumerate(articles, start=1))


_DIGITS = "零一二三四五六七八九"


def _numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十, 105 → 一百零五: as articles are numbered."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    return _DIGITS[n // 100] + "百" + ("" if not rest else ("零" + _numeral(rest) if rest < 10 else _numeral(rest)))
