"""A content folder that is valid, and hostile in every text field: the site must show it as text.

Each string here is something an attacker (or a careless paste) could put in
front matter. None of them is an error: a title may contain quotes and angle
brackets. The build must print them escaped, and a reader must see them as
written.
"""

from __future__ import annotations

from pathlib import Path

from problem_corpus import PNG

TITLE = "区建设局学习<img src=x onerror=alert(document.domain)>新规"
QUOTED = '开展"我为群众办实事"活动'
CLOSING = "</title><script>alert(document.domain)</script>简报"
ATTRIBUTE = "\"><svg onload=alert(document.domain)>分类"
TEMPLATE = "{{ config }}{% raw %}模板"  # printed as written, never evaluated
SINGLE = "' onmouseover='alert(document.domain)' x='"
AMPERSAND = "井盖 & 路灯 &amp; &lt;b&gt; 维修, 计划:一"

FILES = {
    "index.md": "",
    "news/index.md": "",
    "newsletters/index.md": "",
    "rules/index.md": "",
    "news/2009/0512-hostile.md": f"""---
title: '{TITLE}'
date: 2009-05-12
summary: '{QUOTED}'
author: '<b onmouseover=alert(document.domain)>王小燕</b>'
category: '{ATTRIBUTE}'
department: 市政科
tags: ['<script>alert(document.domain)</script>', '{AMPERSAND}']
cover: images/jinggai.png
outlets:
  - name: 荆州日报
    page: '<img src=x onerror=alert(document.domain)>第3版'
    url: 'https://example.com/?q="><script>alert(document.domain)</script>'
---

## {AMPERSAND}

正文写的是 \\<script\\>alert(document.domain)\\</script\\>，读者看到的是文字。

![井盖 "维修" <前后>](images/jinggai.png)
""",
    "news/2009/images/jinggai.png": PNG,
    "news/2009/0513-quoted.md": f"""---
title: '{QUOTED}'
date: 2009-05-13
summary: "{SINGLE}"
---

第二篇正文：{QUOTED}。
""",
    "news/2009/0511-template.md": f"""---
title: '{TEMPLATE}'
date: 2009-05-11
---

第三篇正文。
""",
    "newsletters/chengjian/2009-01.md": f"""---
series: 城建情况
issue: 1
date: 2009-05-10
title: '{CLOSING}'
summary: '{TITLE}'
distribution:
  report: ['<script>alert(document.domain)</script>', '{ATTRIBUTE}']
  send: '{TEMPLATE}'
---

## 工作动态

本期正文。
""",
    "rules/hostile.md": f"""---
title: '{TITLE}制度'
date: 2009-01-01
status: 现行有效
doc_number: '沙建发〔2009〕<i onclick=alert(document.domain)>12</i>号'
issuer: '<script>alert(document.domain)</script>'
index_number: '{ATTRIBUTE}'
category: '<style>body{{display:none}}</style>'
---

第一条　{QUOTED}。
""",
}
TITLES = [TITLE, QUOTED, TEMPLATE, CLOSING, f"{TITLE}制度"]
DISTRIBUTION = f"报：<script>alert(document.domain)</script>，{ATTRIBUTE}。送：{TEMPLATE}。"  # as the printout shows it


def write_hostile_site(docs: Path) -> Path:
    for rel, text in FILES.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return docs
