"""mkdocs.yml's settings that the site depends on, checked; and a stopped build ending in Chinese."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from publicity.problems import Problem

_DEFAULT_EXTENSIONS = ["toc", "tables", "fenced_code"]  # what MkDocs uses when mkdocs.yml names none
PLUGIN = "publicity"  # this adapter's name in mkdocs.yml's plugins (pyproject.toml's entry point)


def generator_problems(config) -> list[Problem]:
    """A wrong mkdocs.yml setting the site depends on, as a problem on its line (check.py reports them too)."""
    path = Path(config.config_file_path)
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(path.name, _line_of(path, key), "mkdocs-config", message, fix))

    if PLUGIN not in config.plugins:
        bad("plugins", "mkdocs.yml 没有启用网站的适配器（插件 publicity）：构建出的将是没有检查、没有列表的空网站",
            "在 mkdocs.yml 里写 plugins: [publicity]，并运行 make install")
    if not config.use_directory_urls:
        bad("use_directory_urls", "use_directory_urls 必须是 true：网址、链接和二维码都按“文件夹/”的形式生成", "改回 use_directory_urls: true")
    if config.theme.name != "material" or not any(Path(d).name == "overrides" for d in config.theme.dirs):
        bad("theme", "theme 必须是 material，custom_dir 为 overrides：网站的页面模板在 overrides/ 里", "改回 name: material 和 custom_dir: overrides")
    if [str(e) for e in config.markdown_extensions] != _DEFAULT_EXTENSIONS or config.mdx_configs:
        bad("markdown_extensions", "mkdocs.yml 不能设置 markdown_extensions：正文由内容模型渲染并清理",
            "删掉 markdown_extensions；要增减 Markdown 扩展，改 src/publicity/render.py 并补上测试")
    return problems


def load_and_check(config_file: Path) -> list[Problem]:
    """What check.py asks: load mkdocs.yml as MkDocs does and check it (problems only, no traceback)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        config = load_config(str(config_file))
    except (ConfigurationError, OSError) as exc:
        return [Problem(config_file.name, 1, "mkdocs-config", f"mkdocs.yml 无法读取：{exc}", "按提示改正，或从仓库恢复 mkdocs.yml")]
    return generator_problems(config)


def _line_of(path: Path, key: str) -> int:
    """The line where ``key:`` starts a top-level setting of mkdocs.yml (1 when it is not written there)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


class WarningCounter(logging.Handler):
    """Counts MkDocs' warnings, so that a strict build can end with a line in Chinese."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    @classmethod
    def attach(cls) -> WarningCounter:
        logger = logging.getLogger("mkdocs")
        for handler in logger.handlers:
            if isinstance(handler, cls):
                handler.count = 0
                return handler
        handler = cls()
        logger.addHandler(handler)
        return handler


def stop_in_chinese(message: str) -> None:
    """End `mkdocs build` with a line staff can read, instead of MkDocs' "Aborted with a BuildError!"."""
    sys.stderr.flush()
    print(f"构建失败：{message}", file=sys.stderr, flush=True)
    raise SystemExit(1)
